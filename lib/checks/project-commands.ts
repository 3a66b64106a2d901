import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { orgAiSettings, projectRepositories } from "@/db/schema";
import { detectCommandsIn, type ManifestSource, revisionSource } from "@/lib/repos/detect-commands";
import type { CheckKind } from "./kinds";

/** The commands a project's checks run, in order, and how (network for install, the docker image). */
export type CheckPlan = {
  commands: { kind: CheckKind; command: string }[];
  /** The org lets the install step reach the network (audited setting); off, install is not run. */
  installWithNetwork: boolean;
  /** The project's detected install command when the org keeps the install step off. */
  installSkipped: string | null;
  image: string | null;
};

const ORDER: CheckKind[] = ["install", "build", "lint", "test"];

/**
 * What to run on a commit: the project's own commands from its settings where set, else those
 * detected from the commit's manifests (package.json, pyproject.toml, Makefile…). The install
 * step runs only when the organization allows it network access: offline it could not fetch
 * anything and would fail every check after it.
 */
export async function checkPlan(
  ids: { orgId: string; projectId: string },
  /** Where the manifests are read: the commit in the origin, or a working tree on disk. */
  source: ManifestSource | { origin: string; commit: string },
): Promise<CheckPlan> {
  const { repo, settings } = await withTenant({ orgId: ids.orgId }, async (tx) => {
    const [repo] = await tx
      .select()
      .from(projectRepositories)
      .where(and(eq(projectRepositories.orgId, ids.orgId), eq(projectRepositories.projectId, ids.projectId)))
      .limit(1);
    const [settings] = await tx
      .select({ installWithNetwork: orgAiSettings.installWithNetwork })
      .from(orgAiSettings)
      .where(eq(orgAiSettings.orgId, ids.orgId))
      .limit(1);
    return { repo, settings };
  });
  const manifests = "origin" in source ? revisionSource(source.origin, source.commit) : source;
  const detected = await detectCommandsIn(manifests);
  const chosen: Record<CheckKind, string | null> = {
    install: repo?.installCommand?.trim() || detected.install,
    build: repo?.buildCommand?.trim() || detected.build,
    lint: repo?.lintCommand?.trim() || detected.lint,
    test: repo?.testCommand?.trim() || detected.test,
  };
  const installWithNetwork = settings?.installWithNetwork ?? false;
  const commands = ORDER.filter((k) => chosen[k] && (k !== "install" || installWithNetwork)).map((kind) => ({
    kind,
    command: chosen[kind] as string,
  }));
  return {
    commands,
    installWithNetwork,
    installSkipped: !installWithNetwork && chosen.install ? chosen.install : null,
    image: repo?.sandboxImage ?? null,
  };
}

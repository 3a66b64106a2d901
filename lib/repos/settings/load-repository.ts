import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { projectRepositories, type projects } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { findProjectRow } from "@/lib/projects/queries";
import { defaultSandboxImage } from "@/lib/sandbox/mode";
import { ensureRepository, type RepositoryRow } from "../ensure-repository";
import { gitBare } from "../git";
import { detectCommandsFromOrigin } from "./detect-commands-from-origin";
import type { RepositorySettings } from "./types";

export const BRANCH_LIST_MAX = 500;

export type LoadedRepository = {
  project: typeof projects.$inferSelect;
  repo: RepositoryRow;
  origin: string;
};

/**
 * The project (by slug, in this organization) with its repository row and origin, both created
 * for an older project that has none. `forUpdate` locks the repository row for the rest of `tx`;
 * `writable` refuses archived projects, which are read-only.
 */
export async function loadRepository(
  tx: Tx,
  orgId: string,
  slug: string,
  opts: { forUpdate?: boolean; writable?: boolean } = {},
): Promise<LoadedRepository> {
  const project = await findProjectRow(tx, orgId, slug);
  if (opts.writable && project.status === "archived") {
    throw new AppError("conflict", "This project is archived. Unarchive it before making changes.");
  }
  const { origin } = await ensureRepository(tx, orgId, project);
  const query = tx
    .select()
    .from(projectRepositories)
    .where(and(eq(projectRepositories.orgId, orgId), eq(projectRepositories.projectId, project.id)))
    .limit(1);
  const [repo] = opts.forUpdate ? await query.for("update") : await query;
  if (!repo) throw new Error("project repository row missing");
  return { project, repo, origin };
}

/** Branch names of the origin, the default first. */
export async function listBranches(origin: string, defaultBranch: string): Promise<string[]> {
  const { stdout } = await gitBare(origin, [
    "for-each-ref",
    `--count=${BRANCH_LIST_MAX}`,
    "--format=%(refname:strip=2)",
    "refs/heads/",
  ]);
  const names = stdout.split("\n").filter(Boolean);
  return [...names.filter((b) => b === defaultBranch), ...names.filter((b) => b !== defaultBranch)];
}

export async function toSettings(loaded: LoadedRepository): Promise<RepositorySettings> {
  const { repo, origin } = loaded;
  const [branches, detected] = await Promise.all([
    listBranches(origin, repo.defaultBranch),
    detectCommandsFromOrigin(origin, repo.defaultBranch),
  ]);
  return {
    defaultBranch: repo.defaultBranch,
    branches,
    commands: {
      testCommand: repo.testCommand,
      buildCommand: repo.buildCommand,
      installCommand: repo.installCommand,
      lintCommand: repo.lintCommand,
    },
    detected,
    sandboxImage: repo.sandboxImage,
    defaultSandboxImage: defaultSandboxImage(),
    remote:
      repo.remoteUrl && repo.remoteProvider
        ? {
            url: repo.remoteUrl,
            provider: repo.remoteProvider,
            repo: repo.remoteRepo,
            hasToken: Boolean(repo.remoteTokenEncrypted),
          }
        : null,
    updatedAt: repo.updatedAt.toISOString(),
  };
}

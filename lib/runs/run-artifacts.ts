import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { artifacts } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findRunRow } from "./queries";
import { isUuid } from "./schemas";

export type ArtifactListItem = {
  id: string;
  kind: string;
  title: string;
  path: string | null;
  language: string | null;
  taskId: string | null;
  agentSlug: string | null;
  latestVersion: number;
  versions: { version: number; summary: string; createdAt: string }[];
};

export type ArtifactVersionView = {
  artifactKey: string;
  runId: string | null;
  projectId: string;
  version: number;
  kind: string;
  title: string;
  path: string | null;
  language: string | null;
  content: string;
  summary: string;
  createdAt: string;
};

/** The run's artifacts with their versions (no contents: read a version for that). */
export async function listRunArtifacts(ctx: OrgContext, runId: string): Promise<ArtifactListItem[]> {
  const rows = await ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId);
    return tx
      .select({
        artifactKey: artifacts.artifactKey,
        version: artifacts.version,
        kind: artifacts.kind,
        title: artifacts.title,
        path: artifacts.path,
        language: artifacts.language,
        taskId: artifacts.taskId,
        agentSlug: artifacts.agentSlug,
        summary: artifacts.summary,
        createdAt: artifacts.createdAt,
      })
      .from(artifacts)
      .where(and(eq(artifacts.orgId, ctx.org.id), eq(artifacts.runId, run.id)))
      .orderBy(asc(artifacts.createdAt), asc(artifacts.version));
  });
  const byKey = new Map<string, ArtifactListItem>();
  for (const r of rows) {
    let a = byKey.get(r.artifactKey);
    if (!a) {
      a = {
        id: r.artifactKey,
        kind: r.kind,
        title: r.title,
        path: r.path,
        language: r.language,
        taskId: r.taskId,
        agentSlug: r.agentSlug,
        latestVersion: 0,
        versions: [],
      };
      byKey.set(r.artifactKey, a);
    }
    // The latest version names the artifact (a revision may retitle it).
    if (r.version >= a.latestVersion)
      Object.assign(a, { title: r.title, path: r.path, language: r.language, latestVersion: r.version });
    a.versions.push({ version: r.version, summary: r.summary, createdAt: r.createdAt.toISOString() });
  }
  for (const a of byKey.values()) a.versions.sort((x, y) => x.version - y.version);
  return [...byKey.values()];
}

/** One version of an artifact of this organization, with its content. */
export async function getArtifactVersion(
  ctx: OrgContext,
  artifactKey: string,
  version: string,
): Promise<ArtifactVersionView> {
  const n = /^[1-9]\d{0,8}$/.test(version) ? Number(version) : null;
  if (!isUuid(artifactKey) || n === null) throw notFound("Artifact version not found.");
  const [row] = await ctx.tx((tx) =>
    tx
      .select()
      .from(artifacts)
      .where(
        and(
          eq(artifacts.orgId, ctx.org.id),
          eq(artifacts.artifactKey, artifactKey),
          eq(artifacts.version, n),
        ),
      )
      .limit(1),
  );
  if (!row) throw notFound("Artifact version not found.");
  return {
    artifactKey: row.artifactKey,
    runId: row.runId,
    projectId: row.projectId,
    version: row.version,
    kind: row.kind,
    title: row.title,
    path: row.path,
    language: row.language,
    content: row.content,
    summary: row.summary,
    createdAt: row.createdAt.toISOString(),
  };
}

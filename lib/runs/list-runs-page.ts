import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { projects, runs } from "@/db/schema";
import { afterCursor, cursorTime, type Page, toPage } from "@/lib/api/v1/pagination";
import type { OrgContext } from "@/lib/orgs/context";
import { readProjectSlug } from "@/lib/projects/project-ref";
import { findProjectRow } from "@/lib/projects/queries";
import type { RunStatus } from "./events";

export type RunListItem = {
  id: string;
  projectId: string;
  projectSlug: string;
  number: number | null;
  goal: string;
  templateSlug: string;
  status: RunStatus;
  statusReason: string | null;
  tokenBudget: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  branch: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toRunListItem(row: typeof runs.$inferSelect, projectSlug: string): RunListItem {
  return {
    id: row.id,
    projectId: row.projectId,
    projectSlug,
    number: row.number,
    goal: row.goal,
    templateSlug: row.templateSlug,
    status: row.status,
    statusReason: row.statusReason,
    tokenBudget: row.tokenBudget,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    branch: row.branch,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

/**
 * The organization's runs, newest first, one cursor page at a time (REST v1), optionally of one
 * project (id or slug; an unknown one is a 404) and one status.
 */
export async function listRunsPage(
  ctx: OrgContext,
  query: { project?: string; status?: RunStatus; limit: number; cursor?: string },
): Promise<Page<RunListItem>> {
  const after = afterCursor(runs.createdAt, runs.id, query.cursor);
  const rows = await ctx.tx(async (tx) => {
    const project = query.project
      ? await findProjectRow(tx, ctx.org.id, await readProjectSlug(tx, ctx.org.id, query.project))
      : null;
    return tx
      .select({ row: runs, projectSlug: projects.slug, at: cursorTime(runs.createdAt) })
      .from(runs)
      .innerJoin(projects, and(eq(projects.orgId, runs.orgId), eq(projects.id, runs.projectId)))
      .where(
        and(
          eq(runs.orgId, ctx.org.id),
          project ? eq(runs.projectId, project.id) : undefined,
          query.status ? eq(runs.status, query.status) : undefined,
          after,
        ),
      )
      .orderBy(desc(runs.createdAt), desc(runs.id))
      .limit(query.limit + 1);
  });
  return toPage(
    rows,
    query.limit,
    (r) => ({ createdAt: r.at, id: r.row.id }),
    (r) => toRunListItem(r.row, r.projectSlug),
  );
}

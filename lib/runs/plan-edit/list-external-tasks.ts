import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { projects, runs, runTasks } from "@/db/schema";
import { requireScope } from "@/lib/api-keys/key-context";
import type { OrgContext } from "@/lib/orgs/context";
import { FINAL_RUN_STATUSES } from "@/lib/runs/events";
import { findRunRow } from "@/lib/runs/queries";
import { type ExternalTaskView, externalTaskView } from "./external-task";

export type ReadyExternalTask = ExternalTaskView & {
  runId: string;
  runGoal: string;
  projectSlug: string;
  /** Claimed by the caller (its API key), or by nobody yet. */
  claimedByCaller: boolean;
};

/**
 * Tasks waiting for an external worker that the caller may claim or continue (unclaimed, or
 * claimed by its own API key), oldest run first; in one run when `runId` is given. Needs `runs.read`.
 */
export async function listReadyExternalTasks(
  ctx: OrgContext,
  opts: { runId?: string; limit?: number } = {},
): Promise<ReadyExternalTask[]> {
  requireScope(ctx, "runs.read");
  const mine = ctx.apiKey?.id ?? null;
  return ctx.tx(async (tx) => {
    const run = opts.runId ? await findRunRow(tx, ctx.org.id, opts.runId) : null;
    const rows = await tx
      .select({ task: runTasks, goal: runs.goal, status: runs.status, projectSlug: projects.slug })
      .from(runTasks)
      .innerJoin(runs, and(eq(runs.orgId, runTasks.orgId), eq(runs.id, runTasks.runId)))
      .innerJoin(projects, and(eq(projects.orgId, runs.orgId), eq(projects.id, runs.projectId)))
      .where(
        and(
          eq(runTasks.orgId, ctx.org.id),
          eq(runTasks.worker, "external"),
          inArray(runTasks.status, ["waiting_worker"]),
          ...(run ? [eq(runTasks.runId, run.id)] : []),
        ),
      )
      .orderBy(asc(runs.createdAt), asc(runTasks.position))
      .limit(Math.min(Math.max(opts.limit ?? 50, 1), 200));
    return rows
      .filter((r) => !FINAL_RUN_STATUSES.includes(r.status))
      .filter((r) => !r.task.claimedAt || r.task.claimedByApiKeyId === mine)
      .map((r) => ({
        ...externalTaskView(r.task),
        runId: r.task.runId,
        runGoal: r.goal,
        projectSlug: r.projectSlug,
        claimedByCaller: Boolean(r.task.claimedAt),
      }));
  });
}

import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { modelCalls } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import { type RunInfo, readRunDetail } from "./queries";
import type { TaskStatus } from "./schedule";

export type ComparedTask = {
  status: TaskStatus;
  title: string;
  agentSlug: string;
  attempts: number;
  commitSha: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
};

export type RunComparison = {
  runs: [RunInfo, RunInfo];
  /** One row per task key of either plan, in the first run's order, then the second's new keys. */
  tasks: { key: string; a: ComparedTask | null; b: ComparedTask | null }[];
};

/**
 * Two runs of one project side by side (typically a run and its fork): per task, its status,
 * agent, attempts, commit and the tokens and cost its model calls used; and both runs' totals.
 */
export async function compareRuns(
  ctx: OrgContext,
  projectSlug: string,
  runA: string,
  runB: string,
): Promise<RunComparison> {
  return ctx.tx(async (tx) => {
    const project = await findProjectRow(tx, ctx.org.id, projectSlug);
    const [a, b] = [await readRunDetail(tx, ctx.org.id, runA), await readRunDetail(tx, ctx.org.id, runB)];
    if (a.project.id !== project.id || b.project.id !== project.id) throw notFound("Run not found.");
    const usage = await tx
      .select({
        taskId: modelCalls.taskId,
        inputTokens: sql<number>`coalesce(sum(${modelCalls.inputTokens}), 0)::int`,
        outputTokens: sql<number>`coalesce(sum(${modelCalls.outputTokens}), 0)::int`,
        costUsd: sql<number>`coalesce(sum(${modelCalls.costUsd}), 0)::float8`,
      })
      .from(modelCalls)
      .where(and(eq(modelCalls.orgId, ctx.org.id), inArray(modelCalls.runId, [a.run.id, b.run.id])))
      .groupBy(modelCalls.taskId);
    const byTask = new Map(usage.map((u) => [u.taskId, u]));
    const view = (t: (typeof a.tasks)[number]): ComparedTask => {
      const used = byTask.get(t.id);
      return {
        status: t.status,
        title: t.title,
        agentSlug: t.agentSlug,
        attempts: t.attempts,
        commitSha: t.commitSha,
        inputTokens: Number(used?.inputTokens ?? 0),
        outputTokens: Number(used?.outputTokens ?? 0),
        costUsd: Number(used?.costUsd ?? 0),
      };
    };
    const keys = [...new Set([...a.tasks.map((t) => t.key), ...b.tasks.map((t) => t.key)])];
    const find = (tasks: typeof a.tasks, key: string) => tasks.find((t) => t.key === key);
    return {
      runs: [a.run, b.run],
      tasks: keys.map((key) => {
        const ta = find(a.tasks, key);
        const tb = find(b.tasks, key);
        return { key, a: ta ? view(ta) : null, b: tb ? view(tb) : null };
      }),
    };
  });
}

import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { runTasks } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findRunRow } from "./queries";
import { isUuid } from "./schemas";

type TaskRow = typeof runTasks.$inferSelect;

/** A task as the REST API shows it (no tenant or claim internals; dates as ISO strings). */
export type RunTaskView = {
  id: string;
  runId: string;
  key: string;
  phaseKey: string;
  title: string;
  description: string;
  agentSlug: string;
  priority: TaskRow["priority"];
  status: TaskRow["status"];
  statusReason: string | null;
  dependsOn: string[];
  acceptanceCriteria: string[];
  needsApproval: boolean;
  attempts: number;
  position: number;
  worker: TaskRow["worker"];
  context: string;
  commitSha: string | null;
  startedAt: string | null;
  finishedAt: string | null;
};

export function toRunTaskView(t: TaskRow): RunTaskView {
  return {
    id: t.id,
    runId: t.runId,
    key: t.key,
    phaseKey: t.phaseKey,
    title: t.title,
    description: t.description,
    agentSlug: t.agentSlug,
    priority: t.priority,
    status: t.status,
    statusReason: t.statusReason,
    dependsOn: t.dependsOn,
    acceptanceCriteria: t.acceptanceCriteria,
    needsApproval: t.needsApproval,
    attempts: t.attempts,
    position: t.position,
    worker: t.worker,
    context: t.context,
    commitSha: t.commitSha,
    startedAt: t.startedAt?.toISOString() ?? null,
    finishedAt: t.finishedAt?.toISOString() ?? null,
  };
}

async function readTasks(tx: Tx, orgId: string, runId: string) {
  return tx
    .select()
    .from(runTasks)
    .where(and(eq(runTasks.orgId, orgId), eq(runTasks.runId, runId)))
    .orderBy(asc(runTasks.position), asc(runTasks.key));
}

/** The run's tasks in plan order (a plan is bounded, so one page). */
export async function listRunTasks(ctx: OrgContext, runId: string): Promise<RunTaskView[]> {
  return ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId);
    return (await readTasks(tx, ctx.org.id, run.id)).map(toRunTaskView);
  });
}

/** One task of the run, by id or by its key in the plan. */
export async function getRunTask(ctx: OrgContext, runId: string, ref: string): Promise<RunTaskView> {
  return ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId);
    const [row] = await tx
      .select()
      .from(runTasks)
      .where(
        and(
          eq(runTasks.orgId, ctx.org.id),
          eq(runTasks.runId, run.id),
          isUuid(ref) ? eq(runTasks.id, ref) : eq(runTasks.key, ref),
        ),
      )
      .limit(1);
    if (!row) throw notFound("Task not found.");
    return toRunTaskView(row);
  });
}

/** The key of a task named by id or key (the plan-edit verbs take keys); an unknown id is a 404. */
export async function taskKeyOf(ctx: OrgContext, runId: string, ref: string): Promise<string> {
  if (!isUuid(ref)) return ref;
  return (await getRunTask(ctx, runId, ref)).key;
}

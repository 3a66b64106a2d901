import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db";
import { approvals, runs, runTasks, webhookEndpoints } from "@/db/schema";
import type { StoredRunEvent } from "@/lib/runs/events";
import { emitWebhookEvent } from "./emit";
import type { WebhookEventType } from "./events";

/**
 * Turns a run's log entries into webhook events, in the appending transaction (called by
 * `appendRunEvents`, through which every run state change is written: finishing, failing and
 * cancelling runs, task statuses, approvals requested and decided). The message key is the run
 * and the entry's position in its log, so a committed change is one message; `run.started` is
 * keyed by the run alone (sent once, however often a run is resumed).
 */
const RUN_STATUS_EVENTS: Record<string, WebhookEventType> = {
  completed: "run.completed",
  failed: "run.failed",
  cancelled: "run.cancelled",
  budget_exhausted: "run.budget_exhausted",
  planning: "run.started",
  running: "run.started",
};

function webhookTypeOf(event: StoredRunEvent): WebhookEventType | null {
  if (event.type === "run.status") return RUN_STATUS_EVENTS[event.status] ?? null;
  if (event.type === "task.status") {
    return event.status === "done" ? "task.completed" : event.status === "failed" ? "task.failed" : null;
  }
  if (event.type === "approval.requested") return "approval.requested";
  if (event.type === "approval.resolved") return "approval.decided";
  return null;
}

export async function emitRunWebhooks(
  tx: Tx,
  scope: { orgId: string; runId: string },
  events: StoredRunEvent[],
): Promise<void> {
  const relevant = events.flatMap((e) => {
    const type = webhookTypeOf(e);
    return type ? [{ event: e, type }] : [];
  });
  if (relevant.length === 0) return;
  // Most organizations have no endpoint: one indexed look-up, nothing more.
  const [any] = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, scope.orgId), eq(webhookEndpoints.enabled, true)))
    .limit(1);
  if (!any) return;
  const [run] = await tx
    .select({
      id: runs.id,
      number: runs.number,
      projectId: runs.projectId,
      goal: runs.goal,
      status: runs.status,
      statusReason: runs.statusReason,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
    })
    .from(runs)
    .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)))
    .limit(1);
  if (!run) return;
  const runData = {
    id: run.id,
    number: run.number,
    projectId: run.projectId,
    goal: run.goal,
    status: run.status,
    reason: run.statusReason,
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
  const taskIds = relevant.flatMap(({ event: e }) =>
    e.type === "task.status" ? [e.taskId] : e.type === "approval.requested" && e.taskId ? [e.taskId] : [],
  );
  const tasks = taskIds.length
    ? await tx
        .select({
          id: runTasks.id,
          key: runTasks.key,
          title: runTasks.title,
          agentSlug: runTasks.agentSlug,
          status: runTasks.status,
          statusReason: runTasks.statusReason,
        })
        .from(runTasks)
        .where(and(eq(runTasks.orgId, scope.orgId), inArray(runTasks.id, taskIds)))
    : [];
  const taskOf = (id: string | null) => tasks.find((t) => t.id === id) ?? null;

  for (const { event: e, type } of relevant) {
    const key = type === "run.started" ? `run:${run.id}` : `run:${run.id}:seq:${e.seq}`;
    let data: Record<string, unknown>;
    if (e.type === "task.status") {
      const task = taskOf(e.taskId);
      data = {
        run: runData,
        task: {
          id: e.taskId,
          key: task?.key,
          title: task?.title,
          agentSlug: task?.agentSlug,
          status: e.status,
        },
        reason: e.reason ?? null,
      };
    } else if (e.type === "approval.requested") {
      const task = taskOf(e.taskId);
      data = {
        run: runData,
        approval: { id: e.approvalId, title: e.title, prompt: e.prompt },
        task: task ? { id: task.id, key: task.key, title: task.title } : null,
      };
    } else if (e.type === "approval.resolved") {
      const [approval] = await tx
        .select({ taskId: approvals.taskId, title: approvals.title })
        .from(approvals)
        .where(and(eq(approvals.orgId, scope.orgId), eq(approvals.id, e.approvalId)))
        .limit(1);
      data = {
        run: runData,
        approval: {
          id: e.approvalId,
          title: approval?.title ?? null,
          decision: e.decision,
          comment: e.comment,
          taskId: approval?.taskId ?? null,
        },
      };
    } else {
      data = { run: { ...runData, status: e.type === "run.status" ? e.status : run.status } };
    }
    await emitWebhookEvent(tx, scope.orgId, type, data, key);
  }
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { runs, runTasks } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { appendRunEvents } from "./event-log";
import { FINAL_RUN_STATUSES, type RunEvent } from "./events";
import { findRunRow } from "./queries";
import { requestTaskRetry } from "./requests";
import { isUuid } from "./schemas";
import { requestOrFail } from "./start-run";

/**
 * Puts a failed task back to `todo`. A run still going picks it up when told; a run that already
 * ended is queued again and continues from its stored state (done tasks stay done).
 */
export async function retryTask(
  ctx: OrgContext,
  runId: string,
  taskId: string,
): Promise<{ id: string; status: "todo"; runRequeued: boolean }> {
  const runRequeued = await ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId, { forUpdate: true });
    const [task] = isUuid(taskId)
      ? await tx
          .select()
          .from(runTasks)
          .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.runId, run.id), eq(runTasks.id, taskId)))
          .limit(1)
          .for("update")
      : [];
    if (!task) throw notFound("Task not found.");
    if (task.status !== "failed") throw new AppError("conflict", "Only a failed task can be retried.");
    if (run.status === "cancelled") throw new AppError("conflict", "This run was cancelled.");
    if (run.status === "budget_exhausted") {
      throw new AppError("conflict", "This run is out of budget: resume it with a larger budget instead.");
    }
    const reason = `Retry requested by ${ctx.user.name || ctx.user.email}.`;
    await tx
      .update(runTasks)
      .set({ status: "todo", statusReason: reason, startedAt: null, finishedAt: null })
      .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.id, task.id)));
    const events: RunEvent[] = [{ type: "task.status", taskId: task.id, status: "todo", reason }];
    const ended = FINAL_RUN_STATUSES.includes(run.status);
    if (ended) {
      await tx
        .update(runs)
        .set({ status: "queued", statusReason: null, finishedAt: null })
        .where(and(eq(runs.orgId, ctx.org.id), eq(runs.id, run.id)));
      events.push({ type: "run.status", status: "queued", reason });
    }
    await appendRunEvents(tx, { orgId: ctx.org.id, runId: run.id }, events);
    await ctx.audit(tx, {
      action: "run.retry_task",
      target: { type: "run_task", id: task.id },
      metadata: { runId: run.id, title: task.title, runRequeued: ended },
    });
    return ended;
  });
  const scope = { orgId: ctx.org.id, runId };
  if (runRequeued) await requestOrFail(scope);
  else await requestTaskRetry(scope, taskId);
  return { id: taskId, status: "todo", runRequeued };
}

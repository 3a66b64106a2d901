import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { runs, runTasks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { appendRunEvents } from "./event-log";
import { FINAL_RUN_STATUSES, type RunEvent } from "./events";
import { findRunRow } from "./queries";
import { requestRunCancel } from "./requests";

const OPEN_TASK_STATUSES = ["todo", "in_progress", "blocked", "waiting_worker", "review"] as const;

/**
 * Cancels a run that has not finished. The rows and the log say "cancelled" at once, so every
 * viewer sees it even if the run function is not running; the function is then told to stop.
 */
export async function cancelRun(
  ctx: OrgContext,
  runId: string,
): Promise<{ id: string; status: "cancelled" }> {
  await ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId, { forUpdate: true });
    if (FINAL_RUN_STATUSES.includes(run.status)) {
      throw new AppError("conflict", "This run has already finished.");
    }
    const now = new Date();
    const reason = `Cancelled by ${ctx.user.name || ctx.user.email}.`;
    const cancelled = await tx
      .update(runTasks)
      .set({ status: "cancelled", statusReason: reason, finishedAt: now })
      .where(
        and(
          eq(runTasks.orgId, ctx.org.id),
          eq(runTasks.runId, run.id),
          inArray(runTasks.status, [...OPEN_TASK_STATUSES]),
        ),
      )
      .returning({ id: runTasks.id, position: runTasks.position });
    await tx
      .update(runs)
      .set({ status: "cancelled", statusReason: reason, finishedAt: now })
      .where(and(eq(runs.orgId, ctx.org.id), eq(runs.id, run.id)));
    const events: RunEvent[] = cancelled
      .sort((a, b) => a.position - b.position)
      .map((t) => ({ type: "task.status", taskId: t.id, status: "cancelled", reason }));
    events.push({ type: "run.status", status: "cancelled", reason });
    await appendRunEvents(tx, { orgId: ctx.org.id, runId: run.id }, events);
    await ctx.audit(tx, {
      action: "run.cancel",
      target: { type: "run", id: run.id },
      metadata: { previousStatus: run.status, tasksCancelled: cancelled.length },
    });
  });
  try {
    await requestRunCancel({ orgId: ctx.org.id, runId });
  } catch (error) {
    // The rows and the log already say cancelled; a lost signal only delays the function noticing.
    console.error("[runs] could not send the cancel request", error);
  }
  return { id: runId, status: "cancelled" };
}

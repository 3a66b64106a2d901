import type { CancellationRequest } from "./api";
import { type EngineContext, logAfterCommit } from "./context";
import { compileExpression } from "./expression";
import { createRun, finish } from "./run-lifecycle";
import * as store from "./store";
import { lockRuns } from "./transaction";

/** Event intake: each pending event starts runs, resumes waits and cancels runs, once. */

const EVENT_BATCH = 100;

/** Processes one batch of pending events; returns how many, so a full batch can ask for more. */
export async function processEvents(ctx: EngineContext): Promise<{ processed: number; more: boolean }> {
  const processed = await ctx.write(async (tx) => {
    const events = await store.claimPendingEvents(tx, EVENT_BATCH);
    for (const e of events) {
      const event = JSON.parse(e.payload) as Record<string, unknown>;
      for (const fn of ctx.registry().functions.values()) {
        if (fn.triggers.some((t) => t.matchesName(e.name) && (!t.if || t.if.matches({ event })))) {
          await createRun(ctx, tx, fn, event);
        }
      }
      // The waiting runs first, in id order, then their wait jobs (the lock order of transaction.ts).
      await lockRuns(tx, await store.runsWaitingFor(tx, e.name, e.received_ms));
      for (const wait of await store.waitsFor(tx, e.name, e.received_ms)) {
        const expr = wait.wait_if
          ? (ctx.waitIfCache.get(wait.wait_if) ?? compileExpression(wait.wait_if, ["event", "async"]))
          : undefined;
        if (expr && !expr.matches({ event: JSON.parse(wait.event), async: event })) continue;
        await store.deleteJob(tx, wait.id);
        const stored = await store.storeStepResult(tx, {
          runId: wait.run_id,
          hashedId: wait.step_id,
          stepId: wait.step_id,
          name: wait.step_id,
          op: "wait",
          attempt: 0,
          output: e.payload,
        });
        if (stored) {
          await store.requestDiscovery(tx, wait.run_id);
          logAfterCommit(ctx, tx, "info", {
            msg: "step.event_received",
            runId: wait.run_id,
            hashedId: wait.step_id,
            eventId: e.id,
          });
        }
      }
      for (const fn of ctx.registry().functions.values()) {
        for (const c of fn.cancelOn) {
          if (c.event !== e.name) continue;
          for (const run of await store.activeRunsOf(tx, fn.id, e.received_ms)) {
            if (c.timeoutMs !== undefined && e.received_ms > run.created_ms + c.timeoutMs) continue;
            if (c.if && !c.if.matches({ event: JSON.parse(run.event), async: event })) continue;
            await finish(ctx, tx, run.id, "cancelled", {});
          }
        }
      }
    }
    if (events.length)
      await store.markEventsProcessed(
        tx,
        events.map((e) => e.seq),
      );
    return events.length;
  });
  return { processed, more: processed >= EVENT_BATCH };
}

/** Bulk cancellation (Inngest's `POST /v1/cancellations`): active runs started in the window. */
export async function cancelMatching(ctx: EngineContext, request: CancellationRequest): Promise<number> {
  const expr = request.if ? compileExpression(request.if, ["event"]) : undefined;
  return ctx.write(async (tx) => {
    let n = 0;
    // In id order: finish() locks each run as it goes.
    for (const run of await store.activeRunsOf(tx, request.functionId, request.startedBefore.getTime())) {
      if (run.created_ms <= request.startedAfter.getTime()) continue;
      if (expr && !expr.matches({ event: JSON.parse(run.event) })) continue;
      if (await finish(ctx, tx, run.id, "cancelled", {}, "cancellation API")) n++;
    }
    return n;
  });
}

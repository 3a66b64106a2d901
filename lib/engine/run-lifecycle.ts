import type { Executor } from "@/db";
import type { EngineConcurrencySlot } from "@/db/schema/engine";
import { type EngineContext, logAfterCommit } from "./context";
import type { EngineFunction } from "./registry";
import * as store from "./store";
import { ulid } from "./time";
import { afterCommit, lockRun } from "./transaction";

/** Runs are born, finish, and resume the run that invoked them here. */

export const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

export function sizeError(what: string, bytes: number, limit: number) {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    name: "OutputTooLargeError",
    message: `${what} is ${mb(bytes)}, over the ${mb(limit)} limit. Store large data elsewhere and return a reference.`,
  };
}

function concurrencyFor(fn: EngineFunction, event: unknown): EngineConcurrencySlot[] | null {
  if (!fn.concurrency.length) return null;
  return fn.concurrency.map((c) => {
    const value = c.key?.value({ event });
    const keyValue =
      value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
    const scope = c.scope === "fn" ? `fn:${fn.id}` : c.scope;
    return { k: `${scope}:${c.key?.source ?? ""}:${keyValue}`, n: c.limit };
  });
}

export async function createRun(
  ctx: EngineContext,
  ex: Executor,
  fn: EngineFunction,
  event: Record<string, unknown>,
  extra: { parentRunId?: string; parentStepId?: string; replayOf?: string } = {},
) {
  const id = ulid();
  await store.insertRun(ex, {
    id,
    functionId: fn.id,
    event: JSON.stringify(event),
    eventId: typeof event.id === "string" ? event.id : null,
    concurrency: concurrencyFor(fn, event),
    ...extra,
  });
  logAfterCommit(ctx, ex, "info", {
    msg: "run.created",
    runId: id,
    functionId: fn.id,
    eventId: event.id,
    event: event.name,
    ...extra,
  });
  return id;
}

/**
 * Final status, plus what Inngest does around it: failure events and the invoking parent's step.
 * Locks the run, then its parent (a child before its parent: the lock order of transaction.ts).
 */
export async function finish(
  ctx: EngineContext,
  ex: Executor,
  runId: string,
  status: "completed" | "failed" | "cancelled",
  result: { output?: string | null; error?: Record<string, unknown> },
  by?: string,
) {
  await lockRun(ex, runId);
  const run = await store.finishRun(ex, runId, status, result);
  if (!run) return false;
  const event = JSON.parse(run.event) as { name?: string };
  // A failure handler that fails does not announce its own failure (no handler loops).
  if (status !== "completed" && event.name !== "inngest/function.failed") {
    const name = status === "failed" ? "inngest/function.failed" : "inngest/function.cancelled";
    const data =
      status === "failed"
        ? { function_id: run.function_id, run_id: run.id, error: result.error, event }
        : { function_id: run.function_id, run_id: run.id, event };
    const id = ulid();
    await store.insertEvents(ex, [{ id, name, payload: JSON.stringify({ name, data, id, ts: Date.now() }) }]);
    afterCommit(ex, ctx.emittedEvents);
  }
  if (run.parent_run_id && run.parent_step_id) {
    await lockRun(ex, run.parent_run_id);
    const parentError =
      status === "completed"
        ? undefined
        : status === "failed"
          ? (result.error ?? { name: "Error", message: "Invoked function failed" })
          : { name: "Error", message: "The invoked function was cancelled" };
    const stored = await store.storeStepResult(ex, {
      runId: run.parent_run_id,
      hashedId: run.parent_step_id,
      stepId: run.parent_step_id,
      name: "invoke",
      op: "invoke",
      attempt: 0,
      output: status === "completed" ? (result.output ?? "null") : null,
      error: parentError,
    });
    if (stored) {
      await store.deleteJobByKey(ex, `invoke_timeout:${run.parent_run_id}:${run.parent_step_id}`);
      await store.requestDiscovery(ex, run.parent_run_id);
    }
  }
  logAfterCommit(ctx, ex, status === "failed" ? "warn" : "info", {
    msg: `run.${status}`,
    runId,
    functionId: run.function_id,
    error: result.error,
    by,
  });
  return true;
}

/** Completes a run with the function's return value, or fails it when that is over the size limit. */
export async function complete(ctx: EngineContext, ex: Executor, run: store.RunRow, output: unknown) {
  const text = JSON.stringify(output ?? null);
  if (byteLength(text) > ctx.limits.stepOutputBytes) {
    await finish(ctx, ex, run.id, "failed", {
      error: sizeError("The function's return value", byteLength(text), ctx.limits.stepOutputBytes),
    });
    return;
  }
  await finish(ctx, ex, run.id, "completed", { output: text });
}

import { type EngineContext, logAfterCommit } from "./context";
import { compileExpression } from "./expression";
import type { EngineFunction } from "./registry";
import { byteLength, complete, createRun, finish, sizeError } from "./run-lifecycle";
import type { Outcome } from "./sdk-call";
import * as store from "./store";
import { resolveDeadline, ulid } from "./time";
import { lockRun, serializeError } from "./transaction";

/** What the engine does with the SDK's answer: store results, schedule what follows, finish the run. */

const STEP_OPS: Record<string, string> = {
  StepPlanned: "run",
  StepRun: "run",
  StepError: "run",
  StepFailed: "run",
  Sleep: "sleep",
  WaitForEvent: "wait",
  InvokeFunction: "invoke",
};

function retryDelay(retryAfter: string | null | undefined, attempt: number, backoff: (n: number) => number) {
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  return backoff(attempt);
}

/** Applies the SDK's answer in one transaction; "continue" re-runs this discovery straight away. */
export async function applyOutcome(
  ctx: EngineContext,
  job: store.JobRow,
  run: store.RunRow,
  fn: EngineFunction,
  attempt: number,
  outcome: Outcome,
  started: number,
): Promise<"done" | "continue"> {
  return ctx.write(async (tx) => {
    // Lock order (transaction.ts): the run, then its jobs, then its steps.
    await lockRun(tx, run.id);
    const owned = await store.lockOwnedJob(tx, job.id, job.claim);
    if (!owned) return "done";
    const discover = job.kind === "discover";

    if (outcome.type === "complete") {
      await complete(ctx, tx, run, outcome.output);
      return "done";
    }

    if (outcome.type === "error") {
      if (!outcome.retriable || attempt + 1 >= fn.maxAttempts) {
        await finish(ctx, tx, run.id, "failed", { error: serializeError(outcome.error) });
        return "done";
      }
      const delayMs = retryDelay(outcome.retryAfter, attempt + 1, ctx.backoff);
      await store.releaseJob(tx, job.id, { attempt: attempt + 1, delayMs });
      await store.countRetry(tx, run.id);
      logAfterCommit(ctx, tx, "warn", {
        msg: "run.retry",
        runId: run.id,
        functionId: fn.id,
        attempt: attempt + 1,
        delayMs,
        error: serializeError(outcome.error),
      });
      return "done";
    }

    let storedAny = false;
    let scheduled = false;
    for (const op of outcome.ops) {
      const name = op.displayName ?? op.name ?? op.userland?.id ?? op.id;
      const base = {
        runId: run.id,
        hashedId: op.id,
        stepId: op.userland?.id ?? op.id,
        name,
        op: op.opts?.type === "step.sendEvent" ? "sendEvent" : (STEP_OPS[op.op] ?? op.op),
        attempt,
      };
      switch (op.op) {
        case "StepRun":
        case "StepFailed": {
          const output = op.op === "StepRun" ? JSON.stringify(op.data ?? null) : null;
          const tooBig = output !== null && byteLength(output) > ctx.limits.stepOutputBytes;
          const error =
            op.op === "StepFailed"
              ? serializeError(op.error)
              : tooBig
                ? sizeError(
                    `The output of step "${name}"`,
                    byteLength(output as string),
                    ctx.limits.stepOutputBytes,
                  )
                : undefined;
          const timing = op.timing?.a
            ? { startedAt: op.timing.a / 1e6, endedAt: (op.timing.a + (op.timing.b ?? 0)) / 1e6 }
            : { startedAt: started };
          if (await store.storeStepResult(tx, { ...base, output: error ? null : output, error, ...timing })) {
            logAfterCommit(ctx, tx, error ? "warn" : "info", {
              msg: error ? "step.failed" : "step.completed",
              runId: run.id,
              functionId: fn.id,
              stepId: base.stepId,
              hashedId: op.id,
              attempt,
              durationMs: Math.round(
                timing.endedAt ? timing.endedAt - timing.startedAt : Date.now() - started,
              ),
              error,
            });
          }
          storedAny = true;
          break;
        }
        case "StepError": {
          const delayMs = retryDelay(outcome.retryAfter, attempt + 1, ctx.backoff);
          await store.insertPendingStep(tx, { ...base, status: "running" });
          await store.recordStepRetry(tx, run.id, op.id, attempt + 1, serializeError(op.error));
          await store.countRetry(tx, run.id);
          await store.releaseJob(tx, job.id, { attempt: attempt + 1, delayMs });
          logAfterCommit(ctx, tx, "warn", {
            msg: "step.retry",
            runId: run.id,
            functionId: fn.id,
            stepId: base.stepId,
            hashedId: op.id,
            attempt: attempt + 1,
            delayMs,
            error: serializeError(op.error),
          });
          return "done";
        }
        case "RunComplete":
          await complete(ctx, tx, run, op.data ?? null);
          return "done";
        case "StepPlanned":
          await store.insertPendingStep(tx, { ...base, status: "running" });
          await store.enqueueStepJob(tx, run, op.id);
          scheduled = true;
          break;
        case "Sleep": {
          const until = resolveDeadline(op.name ?? "", Date.now());
          if (!until) {
            await store.storeStepResult(tx, {
              ...base,
              error: { name: "Error", message: `Cannot sleep until ${JSON.stringify(op.name)}` },
            });
            storedAny = true;
            break;
          }
          await store.insertPendingStep(tx, {
            ...base,
            status: "sleeping",
            opts: { until: until.toISOString() },
          });
          await store.enqueueJob(tx, {
            key: `sleep:${run.id}:${op.id}`,
            kind: "sleep",
            runId: run.id,
            functionId: fn.id,
            stepId: op.id,
            availableAt: until.getTime(),
          });
          logAfterCommit(ctx, tx, "info", {
            msg: "step.sleeping",
            runId: run.id,
            functionId: fn.id,
            stepId: base.stepId,
            until,
          });
          scheduled = true;
          break;
        }
        case "WaitForEvent": {
          const timeout = String(op.opts?.timeout ?? "");
          const until = resolveDeadline(timeout, Date.now());
          const expr = typeof op.opts?.if === "string" ? op.opts.if : undefined;
          const problem = !until
            ? `Invalid timeout ${JSON.stringify(timeout)}`
            : expr
              ? checkExpression(ctx, expr)
              : undefined;
          if (problem || !until) {
            await store.storeStepResult(tx, { ...base, error: { name: "Error", message: problem } });
            logAfterCommit(ctx, tx, "error", {
              msg: "step.failed",
              runId: run.id,
              functionId: fn.id,
              stepId: base.stepId,
              error: problem,
            });
            storedAny = true;
            break;
          }
          await store.insertPendingStep(tx, {
            ...base,
            status: "waiting",
            opts: { event: op.name, if: expr, until: until.toISOString() },
          });
          await store.enqueueJob(tx, {
            key: `wait:${run.id}:${op.id}`,
            kind: "wait",
            runId: run.id,
            functionId: fn.id,
            stepId: op.id,
            availableAt: until.getTime(),
            waitEvent: op.name,
            waitIf: expr,
          });
          logAfterCommit(ctx, tx, "info", {
            msg: "step.waiting",
            runId: run.id,
            functionId: fn.id,
            stepId: base.stepId,
            event: op.name,
            until,
          });
          scheduled = true;
          break;
        }
        case "InvokeFunction": {
          const target = ctx.registry().functions.get(String(op.opts?.function_id ?? ""));
          if (!target) {
            await store.storeStepResult(tx, {
              ...base,
              error: {
                name: "Error",
                message: `Cannot invoke "${op.opts?.function_id}": no such function.`,
              },
            });
            storedAny = true;
            break;
          }
          const payload = (op.opts?.payload ?? {}) as Record<string, unknown>;
          const event = {
            name: "inngest/function.invoked",
            data: payload.data ?? {},
            id: ulid(),
            ts: Date.now(),
            ...(payload.v ? { v: payload.v } : {}),
          };
          const first = await store.insertPendingStep(tx, {
            ...base,
            status: "invoking",
            opts: { functionId: target.id },
          });
          scheduled = true;
          // Reported again while the child runs (e.g. beside parallel steps): one child only.
          if (!first) break;
          const childId = await createRun(ctx, tx, target, event, {
            parentRunId: run.id,
            parentStepId: op.id,
          });
          const timeout =
            typeof op.opts?.timeout === "string" ? resolveDeadline(op.opts.timeout, Date.now()) : undefined;
          if (timeout) {
            await store.enqueueJob(tx, {
              key: `invoke_timeout:${run.id}:${op.id}`,
              kind: "invoke_timeout",
              runId: run.id,
              functionId: fn.id,
              stepId: op.id,
              availableAt: timeout.getTime(),
            });
          }
          logAfterCommit(ctx, tx, "info", {
            msg: "step.invoking",
            runId: run.id,
            functionId: fn.id,
            stepId: base.stepId,
            childRunId: childId,
          });
          break;
        }
        default:
          await finish(ctx, tx, run.id, "failed", {
            error: {
              name: "NonRetriableError",
              message: `The embedded engine does not support the "${op.op}" step operation (step "${name}").`,
            },
          });
          return "done";
      }
    }

    if (discover) {
      if (storedAny && !scheduled && !owned.again) {
        // Only results came back: keep the claim and ask the SDK for what comes next.
        await store.resetJobAttempt(tx, job.id, ctx.leaseMs);
        return "continue";
      }
      if (owned.again || (storedAny && scheduled)) await store.releaseJob(tx, job.id, { attempt: 0 });
      else await store.deleteJob(tx, job.id);
      return "done";
    }
    await store.deleteJob(tx, job.id);
    if (storedAny) await store.requestDiscovery(tx, run.id);
    return "done";
  });
}

function checkExpression(ctx: EngineContext, source: string): string | undefined {
  try {
    ctx.waitIfCache.set(source, ctx.waitIfCache.get(source) ?? compileExpression(source, ["event", "async"]));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

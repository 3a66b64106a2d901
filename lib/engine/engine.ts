import { randomUUID } from "node:crypto";
import type { Db, Executor } from "@/db";
import type { EngineConcurrencySlot } from "@/db/schema/engine";
import { type CancellationRequest, createEngineApi, type EngineApi, parseEventPayloads } from "./api";
import { type CompiledExpression, compileExpression } from "./expression";
import { type EngineLogger, jsonLogger } from "./log";
import { type EngineFunction, type Registry, syncRegistry } from "./registry";
import * as store from "./store";
import { resolveDeadline, ulid } from "./time";
import { executionRequest, type StepState, type Transport } from "./transport";

export type EngineLimits = {
  /** Largest step output (and function return value), in bytes. Inngest: 4 MB. */
  stepOutputBytes: number;
  /** Largest event, in bytes. Inngest: 256 KB by default. */
  eventBytes: number;
};

export const DEFAULT_LIMITS: EngineLimits = { stepOutputBytes: 4 * 1024 * 1024, eventBytes: 256 * 1024 };

export type EngineOptions = {
  db: Db;
  transport: Transport;
  signingKey: string;
  /** Jobs this process runs at once (SDK calls in flight). */
  slots?: number;
  /** How often an idle engine looks for work written by other processes. */
  pollMs?: number;
  /** How long a claimed job stays ours without a heartbeat; a killed process's work resumes after it. */
  leaseMs?: number;
  /** Delay before retry number `attempt` (1-based). */
  retryBackoffMs?: (attempt: number) => number;
  /** Set when no other process can hold claims (PGlite): claims left by a killed process resume at once. */
  releaseClaimsOnStart?: boolean;
  /** Postgres only: commit engine writes without waiting for the WAL flush (see store.writer). */
  asyncCommit?: boolean;
  limits?: Partial<EngineLimits>;
  logger?: EngineLogger;
  retention?: { eventsMs: number; runsMs: number };
};

export type Engine = {
  readonly registry: Registry;
  readonly api: EngineApi;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  send(events: unknown[]): Promise<string[]>;
  /** `by` (who asked) goes into the log line. */
  cancelRun(runId: string, by?: string): Promise<boolean>;
  replayRun(runId: string, by?: string): Promise<string>;
};

/** Exponential backoff with jitter from 10 s, capped at 30 min (Inngest's own schedule is server-side). */
export const defaultBackoff = (attempt: number) => {
  const base = Math.min(10_000 * 2 ** (attempt - 1), 30 * 60_000);
  return Math.round(base * (0.75 + Math.random() * 0.5));
};

type Op = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: unknown;
  opts?: Record<string, unknown>;
  userland?: { id?: string };
  timing?: { a?: number; b?: number };
};

type Outcome =
  | { type: "complete"; output: unknown }
  | { type: "ops"; ops: Op[]; retryAfter?: string | null }
  | { type: "error"; error: unknown; retriable: boolean; retryAfter?: string | null };

const STEP_OPS: Record<string, string> = {
  StepPlanned: "run",
  StepRun: "run",
  StepError: "run",
  StepFailed: "run",
  Sleep: "sleep",
  WaitForEvent: "wait",
  InvokeFunction: "invoke",
};

const EVENT_BATCH = 100;

/** Jobs (and SDK calls) a discovery may chain in one claim before going back to the queue. */
const CONTINUE_BUDGET = 50;

export function serializeError(error: unknown): Record<string, unknown> {
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      name: String(e.name ?? "Error"),
      message: String(e.message),
      stack: e.stack ? String(e.stack) : undefined,
    };
  }
  return { name: "Error", message: String(error) };
}

function retryDelay(retryAfter: string | null | undefined, attempt: number, backoff: (n: number) => number) {
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  return backoff(attempt);
}

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

function sizeError(what: string, bytes: number, limit: number) {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    name: "OutputTooLargeError",
    message: `${what} is ${mb(bytes)}, over the ${mb(limit)} limit. Store large data elsewhere and return a reference.`,
  };
}

export function createEngine(options: EngineOptions): Engine {
  const db = options.db;
  const transport = options.transport;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.logger ?? jsonLogger();
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  const slots = options.slots ?? 32;
  const backoff = options.retryBackoffMs ?? defaultBackoff;
  const retention = options.retention ?? { eventsMs: 7 * 86_400_000, runsMs: 30 * 86_400_000 };
  const workerId = `w-${randomUUID().slice(0, 8)}`;
  const write = store.writer(db, options.asyncCommit ?? false);

  let registry: Registry = { appId: "", functions: new Map() };
  const waitIfCache = new Map<string, CompiledExpression>();
  const inflight = new Map<string, Promise<void>>();
  let running = false;
  let loopDone: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let wakePending = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let claimBatch = 0;
  let lastPrune = 0;
  let hasConcurrencyLimits = false;
  // Pending events are looked for when this process added some, and at every poll for other processes'.
  let eventsDue = true;
  let emittedEvents = false;
  let lastEventPoll = 0;

  const wake = () => {
    wakePending = true;
    wakeUp?.();
  };

  const eventsArrived = () => {
    eventsDue = true;
    wake();
  };

  const api = createEngineApi({
    db,
    asyncCommit: options.asyncCommit ?? false,
    signingKey: options.signingKey,
    limits,
    log,
    onEvents: eventsArrived,
    leaseMs,
    cancel: (request) => cancelMatching(request),
  });

  /** Bulk cancellation (Inngest's `POST /v1/cancellations`): active runs started in the window. */
  async function cancelMatching(request: CancellationRequest): Promise<number> {
    const expr = request.if ? compileExpression(request.if, ["event"]) : undefined;
    const cancelled = await write(async (tx) => {
      let n = 0;
      for (const run of await store.activeRunsOf(tx, request.functionId, request.startedBefore.getTime())) {
        if (run.created_ms <= request.startedAfter.getTime()) continue;
        if (expr && !expr.matches({ event: JSON.parse(run.event) })) continue;
        if (await finish(tx, run.id, "cancelled", {}, "cancellation API")) n++;
      }
      return n;
    });
    eventsArrived();
    return cancelled;
  }

  // ---------------------------------------------------------------- runs

  function concurrencyFor(fn: EngineFunction, event: unknown): EngineConcurrencySlot[] | null {
    if (!fn.concurrency.length) return null;
    return fn.concurrency.map((c) => {
      const value = c.key?.value({ event });
      const keyValue =
        value === undefined || value === null
          ? ""
          : typeof value === "string"
            ? value
            : JSON.stringify(value);
      const scope = c.scope === "fn" ? `fn:${fn.id}` : c.scope;
      return { k: `${scope}:${c.key?.source ?? ""}:${keyValue}`, n: c.limit };
    });
  }

  async function createRun(
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
    log("info", {
      msg: "run.created",
      runId: id,
      functionId: fn.id,
      eventId: event.id,
      event: event.name,
      ...extra,
    });
    return id;
  }

  /** Final status, plus what Inngest does around it: failure events and the invoking parent's step. */
  async function finish(
    ex: Executor,
    runId: string,
    status: "completed" | "failed" | "cancelled",
    result: { output?: string | null; error?: Record<string, unknown> },
    by?: string,
  ) {
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
      await store.insertEvents(ex, [
        { id, name, payload: JSON.stringify({ name, data, id, ts: Date.now() }) },
      ]);
      emittedEvents = true;
    }
    if (run.parent_run_id && run.parent_step_id) {
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
    const level = status === "failed" ? "warn" : "info";
    log(level, { msg: `run.${status}`, runId, functionId: run.function_id, error: result.error, by });
    return true;
  }

  // ------------------------------------------------------------ execution

  async function processJob(job: store.JobRow) {
    try {
      if (job.kind === "discover" || job.kind === "step") await processExecution(job);
      else if (job.kind === "cron") await processCron(job);
      else await processTimer(job);
    } catch (error) {
      log("error", {
        msg: "job.error",
        jobId: job.id,
        kind: job.kind,
        runId: job.run_id ?? undefined,
        error: serializeError(error),
      });
      // Hand the job back for a later try; if even that fails, its lease runs out as after a crash.
      await write(async (tx) => {
        if (await store.lockOwnedJob(tx, job.id, job.claim)) {
          await store.releaseJob(tx, job.id, { attempt: job.attempt, delayMs: 1000 });
        }
      }).catch(() => {});
    }
  }

  async function processExecution(job: store.JobRow) {
    const runId = job.run_id as string;
    let attempt = job.attempt;
    for (let round = 0; round < CONTINUE_BUDGET; round++) {
      const run = await store.loadRunState(db, runId);
      if (!run || (run.status !== "queued" && run.status !== "running")) {
        await write(async (tx) => {
          if (await store.lockOwnedJob(tx, job.id, job.claim)) await store.deleteJob(tx, job.id);
        });
        return;
      }
      const fn = registry.functions.get(run.function_id);
      if (!fn) {
        await write((tx) =>
          finish(tx, runId, "failed", {
            error: { name: "Error", message: `Function "${run.function_id}" is not served by this app.` },
          }),
        );
        return;
      }
      const stored = run.steps;
      if (job.kind === "step" && stored.some((s) => s.hashed_id === job.step_id)) {
        await write(async (tx) => {
          if (await store.lockOwnedJob(tx, job.id, job.claim)) await store.deleteJob(tx, job.id);
        });
        return;
      }
      const steps: StepState = {};
      for (const s of stored) {
        steps[s.hashed_id] =
          s.status === "completed"
            ? { type: "data", data: s.output === null ? null : JSON.parse(s.output) }
            : { type: "error", error: s.error };
      }
      const discover = job.kind === "discover";
      // With other steps of the run in flight, discovery must only report, never run a step itself.
      const parallel = discover && run.has_step_jobs;
      const started = Date.now();
      const outcome = await call(fn, run, {
        stepId: discover ? "step" : job.step_id,
        steps,
        stack: stored.map((s) => s.hashed_id),
        attempt,
        disableImmediateExecution: parallel,
        checkpoint: discover && !parallel ? { claim: job.claim } : undefined,
      });
      const next = await apply(job, run, fn, attempt, outcome, started);
      if (next === "done") return;
      attempt = 0;
    }
    await write(async (tx) => {
      if (await store.lockOwnedJob(tx, job.id, job.claim)) await store.releaseJob(tx, job.id, { attempt: 0 });
    });
  }

  async function call(
    fn: EngineFunction,
    run: store.RunRow,
    r: {
      stepId: string;
      steps: StepState;
      stack: string[];
      attempt: number;
      disableImmediateExecution: boolean;
      checkpoint?: { claim: string };
    },
  ): Promise<Outcome> {
    let res: Response;
    let text: string;
    const t0 = performance.now();
    log("debug", { msg: "sdk.call", runId: run.id, functionId: fn.id, stepId: r.stepId, attempt: r.attempt });
    try {
      res = await transport.send(
        executionRequest(transport, options.signingKey, {
          functionId: fn.id,
          runId: run.id,
          event: JSON.parse(run.event),
          maxAttempts: fn.maxAttempts,
          ...r,
        }),
      );
      text = await res.text();
      log("debug", {
        msg: "sdk.response",
        runId: run.id,
        functionId: fn.id,
        status: res.status,
        durationMs: Math.round(performance.now() - t0),
      });
    } catch (error) {
      return { type: "error", error: serializeError(error), retriable: true };
    }
    const body = (() => {
      try {
        return text ? JSON.parse(text) : null;
      } catch {
        return text;
      }
    })();
    if (res.status === 200) return { type: "complete", output: body };
    if (res.status === 206) {
      const ops = (Array.isArray(body) ? body : [body]) as Op[];
      return { type: "ops", ops, retryAfter: res.headers.get("retry-after") };
    }
    const noRetry = res.headers.get("x-inngest-no-retry") === "true";
    const error =
      body && typeof body === "object"
        ? body
        : { name: "Error", message: `The serve handler answered ${res.status}` };
    return { type: "error", error, retriable: !noRetry, retryAfter: res.headers.get("retry-after") };
  }

  /** Applies the SDK's answer in one transaction; "continue" re-runs this discovery straight away. */
  async function apply(
    job: store.JobRow,
    run: store.RunRow,
    fn: EngineFunction,
    attempt: number,
    outcome: Outcome,
    started: number,
  ): Promise<"done" | "continue"> {
    return write(async (tx) => {
      const owned = await store.lockOwnedJob(tx, job.id, job.claim);
      if (!owned) return "done";
      const discover = job.kind === "discover";

      if (outcome.type === "complete") {
        await complete(tx, run, outcome.output);
        return "done";
      }

      if (outcome.type === "error") {
        if (!outcome.retriable || attempt + 1 >= fn.maxAttempts) {
          await finish(tx, run.id, "failed", { error: serializeError(outcome.error) });
          return "done";
        }
        const delayMs = retryDelay(outcome.retryAfter, attempt + 1, backoff);
        await store.releaseJob(tx, job.id, { attempt: attempt + 1, delayMs });
        await store.countRetry(tx, run.id);
        log("warn", {
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
            const tooBig = output !== null && byteLength(output) > limits.stepOutputBytes;
            const error =
              op.op === "StepFailed"
                ? serializeError(op.error)
                : tooBig
                  ? sizeError(
                      `The output of step "${name}"`,
                      byteLength(output as string),
                      limits.stepOutputBytes,
                    )
                  : undefined;
            const timing = op.timing?.a
              ? { startedAt: op.timing.a / 1e6, endedAt: (op.timing.a + (op.timing.b ?? 0)) / 1e6 }
              : { startedAt: started };
            if (
              await store.storeStepResult(tx, { ...base, output: error ? null : output, error, ...timing })
            ) {
              log(error ? "warn" : "info", {
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
            const delayMs = retryDelay(outcome.retryAfter, attempt + 1, backoff);
            await store.insertPendingStep(tx, { ...base, status: "running" });
            await store.recordStepRetry(tx, run.id, op.id, attempt + 1, serializeError(op.error));
            await store.countRetry(tx, run.id);
            await store.releaseJob(tx, job.id, { attempt: attempt + 1, delayMs });
            log("warn", {
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
            await complete(tx, run, op.data ?? null);
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
            log("info", {
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
                ? checkExpression(expr)
                : undefined;
            if (problem || !until) {
              await store.storeStepResult(tx, { ...base, error: { name: "Error", message: problem } });
              log("error", {
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
            log("info", {
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
            const target = registry.functions.get(String(op.opts?.function_id ?? ""));
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
            const childId = await createRun(tx, target, event, { parentRunId: run.id, parentStepId: op.id });
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
            log("info", {
              msg: "step.invoking",
              runId: run.id,
              functionId: fn.id,
              stepId: base.stepId,
              childRunId: childId,
            });
            break;
          }
          default:
            await finish(tx, run.id, "failed", {
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
          await store.resetJobAttempt(tx, job.id, leaseMs);
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

  async function complete(ex: Executor, run: store.RunRow, output: unknown) {
    const text = JSON.stringify(output ?? null);
    if (byteLength(text) > limits.stepOutputBytes) {
      await finish(ex, run.id, "failed", {
        error: sizeError("The function's return value", byteLength(text), limits.stepOutputBytes),
      });
      return;
    }
    await finish(ex, run.id, "completed", { output: text });
  }

  function checkExpression(source: string): string | undefined {
    try {
      waitIfCache.set(source, waitIfCache.get(source) ?? compileExpression(source, ["event", "async"]));
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  async function processTimer(job: store.JobRow) {
    const runId = job.run_id as string;
    await write(async (tx) => {
      if (!(await store.lockOwnedJob(tx, job.id, job.claim))) return;
      const step = {
        runId,
        hashedId: job.step_id,
        stepId: job.step_id,
        name: job.step_id,
        op: job.kind,
        attempt: 0,
      };
      const stored =
        job.kind === "invoke_timeout"
          ? await store.storeStepResult(tx, {
              ...step,
              op: "invoke",
              error: {
                name: "InngestInvokeTimeoutError",
                message: "Timed out waiting for invoked function to complete",
              },
            })
          : await store.storeStepResult(tx, { ...step, output: "null" });
      await store.deleteJob(tx, job.id);
      if (stored) await store.requestDiscovery(tx, runId);
      log("info", {
        msg: job.kind === "sleep" ? "step.woke" : `step.${job.kind}`,
        runId,
        hashedId: job.step_id,
      });
    });
  }

  async function processCron(job: store.JobRow) {
    await write(async (tx) => {
      if (!(await store.lockOwnedJob(tx, job.id, job.claim))) return;
      const fn = registry.functions.get(job.function_id);
      const schedule = fn?.crons.find((c) => job.key === cronKey(fn.id, c.source));
      if (!fn || !schedule) {
        await store.deleteJob(tx, job.id);
        return;
      }
      const event = {
        name: "inngest/scheduled.timer",
        data: { cron: schedule.source },
        id: ulid(),
        ts: Date.now(),
      };
      await createRun(tx, fn, event);
      await store.rescheduleJob(tx, job.id, schedule.next(new Date()).getTime());
    });
  }

  // --------------------------------------------------------------- events

  async function processEvents(): Promise<number> {
    return write(async (tx) => {
      const events = await store.claimPendingEvents(tx, EVENT_BATCH);
      for (const e of events) {
        const event = JSON.parse(e.payload) as Record<string, unknown>;
        for (const fn of registry.functions.values()) {
          if (fn.triggers.some((t) => t.matchesName(e.name) && (!t.if || t.if.matches({ event })))) {
            await createRun(tx, fn, event);
          }
        }
        for (const wait of await store.waitsFor(tx, e.name, e.received_ms)) {
          const expr = wait.wait_if
            ? (waitIfCache.get(wait.wait_if) ?? compileExpression(wait.wait_if, ["event", "async"]))
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
            log("info", {
              msg: "step.event_received",
              runId: wait.run_id,
              hashedId: wait.step_id,
              eventId: e.id,
            });
          }
        }
        for (const fn of registry.functions.values()) {
          for (const c of fn.cancelOn) {
            if (c.event !== e.name) continue;
            for (const run of await store.activeRunsOf(tx, fn.id, e.received_ms)) {
              if (c.timeoutMs !== undefined && e.received_ms > run.created_ms + c.timeoutMs) continue;
              if (c.if && !c.if.matches({ event: JSON.parse(run.event), async: event })) continue;
              await finish(tx, run.id, "cancelled", {});
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
  }

  // ----------------------------------------------------------------- loop

  async function tick(): Promise<boolean> {
    let worked = false;
    if (eventsDue || Date.now() - lastEventPoll >= pollMs) {
      eventsDue = false;
      lastEventPoll = Date.now();
      const processed = await processEvents();
      // A full batch means there may be more.
      if (processed >= EVENT_BATCH) eventsDue = true;
      worked = processed > 0;
    }
    const free = slots - inflight.size;
    if (free > 0) {
      const claim = {
        limit: free,
        leaseMs,
        inflight: [...inflight.keys()],
        claimPrefix: `${workerId}.${++claimBatch}`,
      };
      const jobs = await store.claimFreeJobs(db, { ...claim, asyncCommit: options.asyncCommit ?? false });
      if (jobs.length < free && hasConcurrencyLimits) {
        jobs.push(...(await store.claimLimitedJobs(write, { ...claim, limit: free - jobs.length })));
      }
      for (const job of jobs) {
        const p = processJob(job).finally(() => {
          inflight.delete(job.claim);
          if (emittedEvents) {
            emittedEvents = false;
            eventsDue = true;
          }
          wake();
        });
        inflight.set(job.claim, p);
      }
      worked ||= jobs.length > 0;
    }
    if (Date.now() - lastPrune > 10 * 60_000) {
      lastPrune = Date.now();
      await store.pruneHistory(db, retention);
    }
    return worked;
  }

  async function idle() {
    if (wakePending) {
      wakePending = false;
      return;
    }
    let delay = pollMs;
    if (inflight.size < slots) {
      const due = await store.msUntilNextDue(db);
      if (due !== undefined) delay = Math.min(delay, due + 1);
    }
    if (wakePending) {
      wakePending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeUp = undefined;
    wakePending = false;
  }

  async function loop() {
    while (running) {
      try {
        const worked = await tick();
        if (!worked || inflight.size >= slots) await idle();
      } catch (error) {
        log("error", { msg: "engine.loop_error", error: serializeError(error) });
        await new Promise((r) => setTimeout(r, Math.min(1000, pollMs * 4)));
      }
    }
  }

  const cronKey = (fnId: string, source: string) => `cron:${fnId}:${source}`;

  return {
    get registry() {
      return registry;
    },
    api,
    wake,
    async start() {
      if (running) return;
      registry = await syncRegistry(transport, options.signingKey);
      hasConcurrencyLimits = [...registry.functions.values()].some((fn) => fn.concurrency.length > 0);
      if (options.releaseClaimsOnStart) await store.expireAllLeases(db);
      const now = new Date();
      await store.syncCronJobs(
        write,
        [...registry.functions.values()].flatMap((fn) =>
          fn.crons.map((c) => ({
            key: cronKey(fn.id, c.source),
            functionId: fn.id,
            availableAt: c.next(now).getTime(),
          })),
        ),
      );
      running = true;
      heartbeat = setInterval(
        () => {
          store.extendLeases(db, [...inflight.keys()], leaseMs).catch((error) => {
            log("error", { msg: "engine.heartbeat_error", error: serializeError(error) });
          });
        },
        Math.max(50, leaseMs / 3),
      );
      loopDone = loop();
      log("info", {
        msg: "engine.started",
        workerId,
        appId: registry.appId,
        functions: [...registry.functions.keys()],
      });
    },
    async stop() {
      if (!running) return;
      running = false;
      wake();
      await loopDone;
      await Promise.allSettled(inflight.values());
      clearInterval(heartbeat);
      log("info", { msg: "engine.stopped", workerId });
    },
    async send(events) {
      const parsed = parseEventPayloads(events, limits);
      if (!parsed.ok) throw new Error(parsed.error);
      await store.insertEvents(db, parsed.events);
      eventsArrived();
      return parsed.events.map((e) => e.id);
    },
    async cancelRun(runId, by) {
      const done = await write((tx) => finish(tx, runId, "cancelled", {}, by));
      eventsArrived();
      return done;
    },
    async replayRun(runId, by) {
      const run = await store.loadRun(db, runId);
      const fn = run && registry.functions.get(run.function_id);
      if (!run || !fn) throw new Error(`Run "${runId}" cannot be replayed: unknown run or function.`);
      const id = await createRun(db, fn, JSON.parse(run.event), { replayOf: runId });
      log("info", { msg: "run.replayed", runId: id, functionId: fn.id, replayOf: runId, by });
      wake();
      return id;
    },
  };
}

import type { Db } from "@/db";
import { createEngineApi, type EngineApi, parseEventPayloads } from "./api";
import { DEFAULT_LIMITS, type EngineContext, type EngineLimits } from "./context";
import { cancelMatching, processEvents } from "./events";
import { processJob } from "./execution";
import type { CompiledExpression } from "./expression";
import { type EngineLogger, jsonLogger } from "./log";
import { type Registry, syncRegistry } from "./registry";
import { createRun, finish } from "./run-lifecycle";
import * as store from "./store";
import { cronKey } from "./timers";
import { serializeError, writer } from "./transaction";
import type { Transport } from "./transport";
import { defaultWorkerId, releasePredecessorClaims, sanitize, startIncarnation } from "./worker-identity";

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
  /**
   * Stable across restarts of this app process (default: host + app folder): on start the
   * engine releases at once the claims its own dead predecessors held (worker-identity.ts).
   */
  workerId?: string;
  /** Postgres only: commit engine writes without waiting for the WAL flush (see transaction.writer). */
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

/** The engine: the claim loop, its heartbeat, and the public operations. */
export function createEngine(options: EngineOptions): Engine {
  const db = options.db;
  const log = options.logger ?? jsonLogger();
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  const slots = options.slots ?? 32;
  const retention = options.retention ?? { eventsMs: 7 * 86_400_000, runsMs: 30 * 86_400_000 };
  const workerId = sanitize(options.workerId ?? defaultWorkerId());
  const asyncCommit = options.asyncCommit ?? false;

  let registry: Registry = { appId: "", functions: new Map() };
  const waitIfCache = new Map<string, CompiledExpression>();
  const inflight = new Map<string, Promise<void>>();
  let incarnation: ReturnType<typeof startIncarnation> | undefined;
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

  const ctx: EngineContext = {
    db,
    write: writer(db, asyncCommit, log),
    transport: options.transport,
    signingKey: options.signingKey,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    leaseMs,
    backoff: options.retryBackoffMs ?? defaultBackoff,
    log,
    registry: () => registry,
    waitIfCache,
    emittedEvents: () => {
      emittedEvents = true;
    },
  };

  const api = createEngineApi({
    db,
    asyncCommit,
    signingKey: options.signingKey,
    limits: ctx.limits,
    log,
    onEvents: eventsArrived,
    leaseMs,
    cancel: async (request) => {
      const cancelled = await cancelMatching(ctx, request);
      eventsArrived();
      return cancelled;
    },
  });

  async function tick(): Promise<boolean> {
    let worked = false;
    if (eventsDue || Date.now() - lastEventPoll >= pollMs) {
      eventsDue = false;
      lastEventPoll = Date.now();
      const { processed, more } = await processEvents(ctx);
      if (more) eventsDue = true;
      worked = processed > 0;
    }
    const free = slots - inflight.size;
    if (free > 0 && incarnation) {
      const claim = {
        limit: free,
        leaseMs,
        inflight: [...inflight.keys()],
        claimPrefix: `${workerId}/${incarnation.id}.${++claimBatch}`,
      };
      const jobs = await store.claimFreeJobs(db, { ...claim, asyncCommit });
      if (jobs.length < free && hasConcurrencyLimits) {
        jobs.push(...(await store.claimLimitedJobs(ctx.write, { ...claim, limit: free - jobs.length })));
      }
      for (const job of jobs) {
        const p = processJob(ctx, job).finally(() => {
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

  return {
    get registry() {
      return registry;
    },
    api,
    wake,
    async start() {
      if (running) return;
      registry = await syncRegistry(options.transport, options.signingKey);
      hasConcurrencyLimits = [...registry.functions.values()].some((fn) => fn.concurrency.length > 0);
      incarnation = startIncarnation();
      const reclaimed = options.releaseClaimsOnStart
        ? await store.expireAllLeases(db)
        : await releasePredecessorClaims(db, workerId);
      const now = new Date();
      await store.syncCronJobs(
        ctx.write,
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
        incarnation: incarnation.id,
        reclaimed,
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
      incarnation?.end();
      log("info", { msg: "engine.stopped", workerId });
    },
    async send(events) {
      const parsed = parseEventPayloads(events, ctx.limits);
      if (!parsed.ok) throw new Error(parsed.error);
      await store.insertEvents(db, parsed.events);
      eventsArrived();
      return parsed.events.map((e) => e.id);
    },
    async cancelRun(runId, by) {
      const done = await ctx.write((tx) => finish(ctx, tx, runId, "cancelled", {}, by));
      eventsArrived();
      return done;
    },
    async replayRun(runId, by) {
      const run = await store.loadRun(db, runId);
      const fn = run && registry.functions.get(run.function_id);
      if (!run || !fn) throw new Error(`Run "${runId}" cannot be replayed: unknown run or function.`);
      const id = await createRun(ctx, db, fn, JSON.parse(run.event), { replayOf: runId });
      log("info", { msg: "run.replayed", runId: id, functionId: fn.id, replayOf: runId, by });
      wake();
      return id;
    },
  };
}

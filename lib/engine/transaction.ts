import { sql } from "drizzle-orm";
import type { Db, Executor, Tx } from "@/db";
import type { EngineLogger } from "./log";

/**
 * The engine's transactions. Lock order, the same in every transaction that changes a run: first
 * the run (`lockRun`, a transaction-scoped advisory lock on its id; a child run before its parent,
 * several runs in id order when they are known up front), then its job rows, then its step rows.
 * Before this order, two parallel steps of one run finishing together deadlocked on Postgres (a
 * step's insert against the upsert of the run's discovery job) and the rolled-back result ran again.
 *
 * A transaction Postgres still rolls back (deadlock 40P01, serialization failure 40001) is run again
 * — only the transaction: the step body's result is in memory, so the body never runs twice for it.
 * Effects that must follow the commit (log lines such as `step.completed`) go through `afterCommit`.
 */

export type Write = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

const RETRYABLE = new Set(["40P01", "40001"]);
const MAX_TRIES = 8;

/** The database's own error under drizzle's "Failed query" wrapper (postgres.js and PGlite). */
function databaseCause(error: unknown): { code?: string; message?: string; detail?: string } | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const { code, message, detail } = e as { code?: unknown; message?: unknown; detail?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, message: String(message), detail: typeof detail === "string" ? detail : undefined };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isRetryable = (error: unknown) => RETRYABLE.has(databaseCause(error)?.code ?? "");

/** A loggable error; for a failed query, the database's code and message rather than the SQL text. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown };
    const db = databaseCause(error);
    return {
      name: String(e.name ?? "Error"),
      message: db?.message ?? String(e.message),
      ...(db ? { code: db.code, detail: db.detail, query: String(e.message).slice(0, 300) } : {}),
      stack: e.stack ? String(e.stack) : undefined,
    };
  }
  return { name: "Error", message: String(error) };
}

const pendingEffects = new WeakMap<object, (() => void)[]>();

/** Runs `effect` once the transaction `ex` commits (at once when `ex` is not one of ours). */
export function afterCommit(ex: Executor, effect: () => void) {
  const list = pendingEffects.get(ex);
  if (list) list.push(effect);
  else effect();
}

/**
 * Runs `fn` in a transaction, retried on deadlock and serialization failure with a short jittered
 * backoff. With `asyncCommit` (Postgres only) the commit does not wait for the WAL flush: a killed
 * app process loses nothing, a crashed database server may lose the last fraction of a second of
 * engine writes (those steps then run again) — Inngest's own state store (Redis, fsync every
 * second) makes the same trade. PGlite must not use it: it has no WAL writer, so unflushed commits
 * would die with the process.
 */
export function writer(db: Db, asyncCommit: boolean, log: EngineLogger): Write {
  return (fn) =>
    retrying(log, async () => {
      const effects: (() => void)[] = [];
      const result = await db.transaction(async (tx) => {
        pendingEffects.set(tx, effects);
        if (asyncCommit) await tx.execute(sql`set local synchronous_commit = off`);
        return fn(tx);
      });
      for (const effect of effects) effect();
      return result;
    });
}

/** Runs `attempt` (one transaction or one statement) again while the database rolls it back. */
export async function retrying<T>(log: EngineLogger, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error) || n >= MAX_TRIES) throw error;
      const delayMs = Math.round(Math.min(5 * 2 ** n, 500) * (0.5 + Math.random()));
      log("warn", { msg: "tx.retry", attempt: n, delayMs, error: serializeError(error) });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** Takes the run's lock for the rest of the transaction (see the lock order above). */
export async function lockRun(tx: Executor, runId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`run:${runId}`}, 0))`);
}

/** Locks several runs in one deterministic order. */
export async function lockRuns(tx: Executor, runIds: Iterable<string>) {
  for (const id of [...new Set(runIds)].sort()) await lockRun(tx, id);
}

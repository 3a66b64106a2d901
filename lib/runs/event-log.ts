import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { runEvents, runs } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { emitRunWebhooks } from "@/lib/webhooks/run-events";
import type { RunEvent, StoredRunEvent } from "./events";

/**
 * The per-run event log: appends with consecutive `seq` per run, reads after a position, and
 * wakes live listeners once an append has committed.
 *
 * Wake-ups ride on Postgres NOTIFY on both drivers: a `pg_notify` issued inside the appending
 * transaction is delivered only when it commits (never on rollback), so a listener that reads
 * after a wake-up always finds the rows. One LISTEN per process fans out in memory to every
 * subscriber of a run.
 */

export const RUN_EVENTS_CHANNEL = "dm_run_events";

type Scope = { orgId: string; runId: string };

/**
 * Appends `events` to the run's log inside `tx`. Appends to one run are serialized by locking the
 * run's row, so concurrent writers get consecutive, gap-free `seq` values. The lock is FOR NO KEY
 * UPDATE: FOR UPDATE would also conflict with the KEY SHARE locks that inserting rows which
 * reference the run (model calls, events) take, and two such transactions deadlocked.
 */
export async function appendRunEvents(tx: Tx, scope: Scope, events: RunEvent[]): Promise<StoredRunEvent[]> {
  if (events.length === 0) return [];
  const [locked] = await tx
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)))
    .for("no key update");
  if (!locked) throw notFound("Run not found.");
  const [{ last } = { last: 0 }] = await tx
    .select({ last: sql<number>`coalesce(max(${runEvents.seq}), 0)::int` })
    .from(runEvents)
    .where(and(eq(runEvents.orgId, scope.orgId), eq(runEvents.runId, scope.runId)));
  const rows = await tx
    .insert(runEvents)
    .values(
      events.map((event, i) => {
        const { type, ...data } = event;
        return { orgId: scope.orgId, runId: scope.runId, seq: Number(last) + i + 1, type, data };
      }),
    )
    .returning();
  const stored = rows.sort((a, b) => a.seq - b.seq).map(toStored);
  const lastSeq = stored[stored.length - 1]?.seq ?? 0;
  await tx.execute(sql`select pg_notify(${RUN_EVENTS_CHANNEL}, ${`${scope.runId}:${lastSeq}`})`);
  await emitRunWebhooks(tx, scope, stored);
  return stored;
}

/** Events of the run with `seq` greater than `afterSeq`, in order (at most `limit`). */
export async function readRunEvents(
  tx: Tx,
  scope: Scope,
  afterSeq: number,
  limit = 1_000,
): Promise<StoredRunEvent[]> {
  const rows = await tx
    .select()
    .from(runEvents)
    .where(
      and(eq(runEvents.orgId, scope.orgId), eq(runEvents.runId, scope.runId), gt(runEvents.seq, afterSeq)),
    )
    .orderBy(asc(runEvents.seq))
    .limit(limit);
  return rows.map(toStored);
}

function toStored(row: typeof runEvents.$inferSelect): StoredRunEvent {
  return { ...row.data, type: row.type, seq: row.seq, at: row.createdAt.toISOString() } as StoredRunEvent;
}

/** Called with the last committed `seq` when the wake-up says it (a hint; read to be sure). */
type Wake = (lastSeq?: number) => void;

type Listener = {
  subscribers: Map<string, Set<Wake>>;
  ready: Promise<void> | null;
};

// One listener per process, shared by the module copies Next loads (routes, pages, actions).
const globalForLog = globalThis as unknown as { __dmRunEventListener?: Listener };

function listener(): Listener {
  globalForLog.__dmRunEventListener ??= { subscribers: new Map(), ready: null };
  return globalForLog.__dmRunEventListener;
}

function dispatch(payload: string) {
  const [runId, seq] = payload.split(":");
  if (!runId) return;
  const lastSeq = seq ? Number(seq) : undefined;
  for (const wake of listener().subscribers.get(runId) ?? []) {
    try {
      wake(lastSeq);
    } catch (error) {
      console.error("[run-events] subscriber failed", error);
    }
  }
}

type PgliteClient = { listen: (channel: string, cb: (payload: string) => void) => Promise<unknown> };
type PostgresClient = {
  listen: (channel: string, cb: (payload: string) => void) => Promise<{ unlisten: () => Promise<void> }>;
};

async function startListening(): Promise<void> {
  const db = await getDb();
  const client = (db as unknown as { $client: PgliteClient | PostgresClient }).$client;
  // postgres.js holds a dedicated connection for LISTEN and re-listens after reconnecting;
  // PGlite delivers notifications of its own (single) session.
  await client.listen(RUN_EVENTS_CHANNEL, dispatch);
}

/**
 * Calls `onWake` after each committed append to the run. Returns the unsubscribe function.
 * Resolves once the process is listening, so an append committed after it resolves wakes it.
 */
export async function subscribeRunEvents(runId: string, onWake: Wake): Promise<() => void> {
  const l = listener();
  l.ready ??= startListening().catch((error) => {
    l.ready = null;
    throw error;
  });
  await l.ready;
  let set = l.subscribers.get(runId);
  if (!set) {
    set = new Set();
    l.subscribers.set(runId, set);
  }
  // A fresh wrapper per subscription, so subscribing one function twice needs two unsubscribes.
  const wake: Wake = (lastSeq) => onWake(lastSeq);
  set.add(wake);
  return () => {
    const current = l.subscribers.get(runId);
    if (!current) return;
    current.delete(wake);
    if (current.size === 0) l.subscribers.delete(runId);
  };
}

/** For tests and diagnostics: how many subscriptions are open for a run. */
export function subscriberCount(runId: string): number {
  return listener().subscribers.get(runId)?.size ?? 0;
}

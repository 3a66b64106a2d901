import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { type Tx, withTenant } from "@/db";
import { runEvents } from "@/db/schema";
import { readRunEvents, subscribeRunEvents } from "./event-log";
import { FINAL_RUN_STATUSES, type RunStatus, type StoredRunEvent } from "./events";
import {
  encodeHeartbeat,
  encodeRunEvent,
  encodeStreamFinish,
  encodeStreamStart,
  RUN_STREAM_HEARTBEAT_MS,
} from "./stream-protocol";

/**
 * The run stream (wire format in stream-protocol.ts): each viewer replays the log from its resume
 * point, then follows a feed shared by every viewer of the run in this process, so one append
 * costs one read however many people watch.
 */

type Scope = { orgId: string; runId: string };
type Batch = (events: StoredRunEvent[]) => void;

const BATCH = 1_000;

/** Follows one run: a single wake-up subscription and a single reader for all its viewers. */
type Feed = {
  viewers: Set<Batch>;
  lastSeq: number;
  reading: Promise<void> | null;
  again: boolean;
  unsubscribe: () => void;
};

const globalForFeeds = globalThis as unknown as { __dmRunFeeds?: Map<string, Promise<Feed>> };
const feeds = () => {
  globalForFeeds.__dmRunFeeds ??= new Map();
  return globalForFeeds.__dmRunFeeds;
};
const feedKey = (s: Scope) => `${s.orgId}:${s.runId}`;

async function lastSeqOf(tx: Tx, scope: Scope): Promise<number> {
  const [row] = await tx
    .select({ seq: sql<number>`coalesce(max(${runEvents.seq}), 0)::int` })
    .from(runEvents)
    .where(and(eq(runEvents.orgId, scope.orgId), eq(runEvents.runId, scope.runId)));
  return Number(row?.seq ?? 0);
}

function pump(feed: Feed, scope: Scope) {
  if (feed.reading) {
    feed.again = true;
    return;
  }
  feed.reading = (async () => {
    do {
      feed.again = false;
      for (;;) {
        const events = await withTenant({ orgId: scope.orgId }, (tx) =>
          readRunEvents(tx, scope, feed.lastSeq, BATCH),
        );
        if (events.length === 0) break;
        feed.lastSeq = events[events.length - 1]?.seq ?? feed.lastSeq;
        for (const viewer of feed.viewers) viewer(events);
        if (events.length < BATCH) break;
      }
    } while (feed.again);
  })()
    .catch((error) => console.error("[run-stream] feed read failed", error))
    .finally(() => {
      feed.reading = null;
      if (feed.again) pump(feed, scope);
    });
}

async function openFeed(scope: Scope): Promise<Feed> {
  const feed: Feed = { viewers: new Set(), lastSeq: 0, reading: null, again: false, unsubscribe: () => {} };
  // Subscribe before reading the position: an append committed in between wakes the feed.
  feed.unsubscribe = await subscribeRunEvents(scope.runId, (hint) => {
    if (hint !== undefined && hint <= feed.lastSeq) return;
    pump(feed, scope);
  });
  try {
    feed.lastSeq = await withTenant({ orgId: scope.orgId }, (tx) => lastSeqOf(tx, scope));
  } catch (error) {
    feed.unsubscribe();
    throw error;
  }
  // Anything appended while the position was read is picked up now.
  pump(feed, scope);
  return feed;
}

async function joinFeed(scope: Scope, viewer: Batch): Promise<() => void> {
  const key = feedKey(scope);
  let pending = feeds().get(key);
  if (!pending) {
    pending = openFeed(scope);
    feeds().set(key, pending);
    pending.catch(() => feeds().delete(key));
  }
  const feed = await pending;
  feed.viewers.add(viewer);
  return () => {
    feed.viewers.delete(viewer);
    if (feed.viewers.size === 0 && feeds().get(key) === pending) {
      feeds().delete(key);
      feed.unsubscribe();
    }
  };
}

/** For tests and the benchmark: how many runs this process follows. */
export const openFeedCount = () => feeds().size;

/** The latest status in the log and its position (queued at 0 for an empty log). */
export async function latestRunStatus(tx: Tx, scope: Scope): Promise<{ status: RunStatus; seq: number }> {
  const [row] = await tx
    .select({ seq: runEvents.seq, data: runEvents.data })
    .from(runEvents)
    .where(
      and(
        eq(runEvents.orgId, scope.orgId),
        eq(runEvents.runId, scope.runId),
        eq(runEvents.type, "run.status"),
      ),
    )
    .orderBy(desc(runEvents.seq))
    .limit(1);
  return row
    ? { status: (row.data as { status: RunStatus }).status, seq: row.seq }
    : { status: "queued", seq: 0 };
}

export type RunStreamOptions = Scope & {
  /** Send events with `seq` above this (resumePointOf(request)). */
  after: number;
  /** The request's signal: the stream ends and frees its subscription when the client leaves. */
  signal?: AbortSignal;
  heartbeatMs?: number;
};

/**
 * The SSE body of a run stream. The caller has checked that the run is the organization's.
 * Closes after the final run status once the log is drained.
 */
export function createRunEventStream(opts: RunStreamOptions): ReadableStream<Uint8Array> {
  const scope = { orgId: opts.orgId, runId: opts.runId };
  const encoder = new TextEncoder();
  let cleanup: (() => void) | null = null;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let sentSeq = opts.after;
      let status: { status: RunStatus; seq: number } = { status: "queued", seq: 0 };
      let live = false;
      const buffered: StoredRunEvent[] = [];
      let leaveFeed: (() => void) | null = null;
      let heartbeat: ReturnType<typeof setInterval> | null = null;

      const finish = (sendFinish: boolean) => {
        if (closed) return;
        closed = true;
        if (heartbeat) clearInterval(heartbeat);
        leaveFeed?.();
        opts.signal?.removeEventListener("abort", onAbort);
        if (sendFinish) {
          try {
            controller.enqueue(encoder.encode(encodeStreamFinish()));
            controller.close();
          } catch {}
        } else {
          try {
            controller.close();
          } catch {}
        }
      };
      const onAbort = () => finish(false);
      cleanup = () => finish(false);

      const send = (events: StoredRunEvent[]) => {
        let out = "";
        for (const event of events) {
          if (event.seq <= sentSeq) continue;
          sentSeq = event.seq;
          if (event.type === "run.status" && event.seq > status.seq)
            status = { status: event.status, seq: event.seq };
          out += encodeRunEvent(event);
        }
        if (out && !closed) {
          try {
            controller.enqueue(encoder.encode(out));
          } catch {
            finish(false);
          }
        }
      };
      const isFinal = () => FINAL_RUN_STATUSES.includes(status.status);

      if (opts.signal?.aborted) return finish(false);
      opts.signal?.addEventListener("abort", onAbort);
      controller.enqueue(encoder.encode(encodeStreamStart()));

      try {
        // Join first so nothing appended during the replay is missed; buffer it until then.
        leaveFeed = await joinFeed(scope, (events) => {
          if (closed) return;
          if (!live) {
            buffered.push(...events);
            return;
          }
          send(events);
          if (isFinal()) finish(true);
        });
        if (closed) return leaveFeed();
        status = await withTenant({ orgId: scope.orgId }, (tx) => latestRunStatus(tx, scope));
        for (;;) {
          const events = await withTenant({ orgId: scope.orgId }, (tx) =>
            readRunEvents(tx, scope, sentSeq, BATCH),
          );
          if (closed) return;
          send(events);
          if (events.length < BATCH) break;
        }
        live = true;
        send(buffered.splice(0));
        if (isFinal()) return finish(true);
        heartbeat = setInterval(() => {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(encodeHeartbeat()));
          } catch {
            finish(false);
          }
        }, opts.heartbeatMs ?? RUN_STREAM_HEARTBEAT_MS);
      } catch (error) {
        console.error("[run-stream] failed", error);
        if (!closed) {
          closed = true;
          if (heartbeat) clearInterval(heartbeat);
          leaveFeed?.();
          controller.error(error);
        }
      }
    },
    cancel() {
      cleanup?.();
    },
  });
}

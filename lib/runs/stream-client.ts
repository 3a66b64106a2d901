import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import type { StoredRunEvent } from "./events";
import { parseRunStreamChunk, streamUrlAfter } from "./stream-protocol";
import { applyRunEvents, initialRunViewState, isFinalRunStatus, type RunViewSeed } from "./view-state";

/**
 * The browser side of the run stream: an EventSource on the stream route, whose wire format is
 * documented in `./stream-protocol.ts` (server code imports that module, not this one: this one
 * imports React hooks, which route handlers and server components cannot).
 */

export type RunStreamConnection = "connecting" | "live" | "reconnecting" | "closed";

/** The part of the browser's EventSource this client uses (tests pass a fake). */
export type EventSourceLike = {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent<string>) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
};

const EVENT_SOURCE_CLOSED = 2;

export type RunStreamOptions = {
  streamUrl: string;
  /** The position to resume from each time a connection opens. */
  lastSeq: () => number;
  /** Events parsed from the stream, batched per frame (many deltas arrive per second). */
  onEvents: (events: StoredRunEvent[]) => void;
  onConnection: (connection: RunStreamConnection) => void;
  createEventSource?: (url: string) => EventSourceLike;
  /** Runs `flush` soon; one flush per batch of messages. Defaults to the next animation frame. */
  scheduleFlush?: (flush: () => void) => void;
  /**
   * When the server refuses or drops a connection for good (EventSource stops retrying by itself),
   * reopen after an exponential delay, at most `maxAttempts` times in a row.
   */
  retry?: { baseMs: number; maxMs: number; maxAttempts: number };
};

const DEFAULT_RETRY = { baseMs: 1_000, maxMs: 30_000, maxAttempts: 6 };

const defaultScheduleFlush = (flush: () => void) => {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(flush);
  else setTimeout(flush, 16);
};

/**
 * Opens the run stream and keeps it open until the server finishes it or `close()` is called.
 * Returns `close`.
 */
export function openRunStream(options: RunStreamOptions): () => void {
  const createEventSource = options.createEventSource ?? ((url: string) => new EventSource(url));
  const scheduleFlush = options.scheduleFlush ?? defaultScheduleFlush;
  const retry = options.retry ?? DEFAULT_RETRY;

  let source: EventSourceLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let stopped = false;
  let buffer: StoredRunEvent[] = [];
  let flushScheduled = false;

  const flush = () => {
    flushScheduled = false;
    if (stopped || buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    options.onEvents(events);
  };

  const stop = (connection: RunStreamConnection | null) => {
    if (stopped) return;
    flush();
    stopped = true;
    source?.close();
    source = null;
    if (retryTimer) clearTimeout(retryTimer);
    if (connection) options.onConnection(connection);
  };

  const open = () => {
    retryTimer = null;
    options.onConnection(failures === 0 ? "connecting" : "reconnecting");
    const es = createEventSource(streamUrlAfter(options.streamUrl, options.lastSeq()));
    source = es;
    es.onopen = () => {
      failures = 0;
      options.onConnection("live");
    };
    es.onmessage = (message) => {
      const chunk = parseRunStreamChunk(message.data);
      if (!chunk) return;
      if (chunk.type === "event") {
        buffer.push(chunk.event);
        if (!flushScheduled) {
          flushScheduled = true;
          scheduleFlush(flush);
        }
      } else if (chunk.type === "finish" || chunk.type === "done") {
        // Without this, EventSource would reconnect when the server ends the response.
        stop("closed");
      }
    };
    es.onerror = () => {
      if (stopped || source !== es) return;
      if (es.readyState !== EVENT_SOURCE_CLOSED) {
        // The browser retries by itself, sending Last-Event-ID.
        options.onConnection("reconnecting");
        return;
      }
      es.close();
      source = null;
      flush();
      failures++;
      if (failures > retry.maxAttempts) {
        stop("closed");
        return;
      }
      options.onConnection("reconnecting");
      retryTimer = setTimeout(open, Math.min(retry.maxMs, retry.baseMs * 2 ** (failures - 1)));
    };
  };

  open();
  return () => stop(null);
}

export type UseRunEventsOptions = {
  /** The stream route's URL, without `after` (the hook adds it). */
  streamUrl: string;
  /** The events the server rendered the page with, in order; later server renders may pass more. */
  initialEvents: readonly StoredRunEvent[];
  initialRun: RunViewSeed;
};

/**
 * The run's view state, live: starts from the server-rendered events, then follows the stream
 * from the last of them. The connection closes once the run reaches a final status and reopens
 * if the run is resumed (seen through newer `initialEvents`, e.g. after `router.refresh()`).
 */
export function useRunEvents({ streamUrl, initialEvents, initialRun }: UseRunEventsOptions) {
  const [state, dispatch] = useReducer(applyRunEvents, undefined, () =>
    applyRunEvents(initialRunViewState(initialRun), initialEvents),
  );
  const final = isFinalRunStatus(state.status);
  const [connection, setConnection] = useState<RunStreamConnection>(final ? "closed" : "connecting");
  const [generation, setGeneration] = useState(0);
  const lastSeq = useRef(state.lastSeq);

  useEffect(() => {
    lastSeq.current = state.lastSeq;
  }, [state.lastSeq]);

  // A server re-render hands down the log again, possibly longer; duplicates are ignored.
  useEffect(() => {
    dispatch(initialEvents);
  }, [initialEvents]);

  useEffect(() => {
    // `generation` lets `reconnect` reopen a stream that gave up.
    void generation;
    if (final) {
      setConnection("closed");
      return;
    }
    return openRunStream({
      streamUrl,
      lastSeq: () => lastSeq.current,
      onEvents: dispatch,
      onConnection: setConnection,
    });
  }, [streamUrl, final, generation]);

  const reconnect = useCallback(() => setGeneration((g) => g + 1), []);

  return { state, connection, reconnect };
}

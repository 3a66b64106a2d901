import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StoredRunEvent } from "./events";
import { type EventSourceLike, openRunStream, type RunStreamConnection } from "./stream-client";
import {
  encodeHeartbeat,
  encodeRunEvent,
  encodeStreamFinish,
  encodeStreamStart,
  parseRunStream,
  parseRunStreamChunk,
  RUN_STREAM_HEADERS,
  resumePointOf,
  streamUrlAfter,
} from "./stream-protocol";
import { applyRunEvents, initialRunViewState } from "./view-state";

const delta = (seq: number, text: string): StoredRunEvent => ({
  type: "agent.delta",
  taskId: null,
  agentSlug: "orchestrator",
  delta: text,
  seq,
  at: `2026-11-24T12:00:${String(seq).padStart(2, "0")}.000Z`,
});

const status = (seq: number, value: "running" | "completed"): StoredRunEvent => ({
  type: "run.status",
  status: value,
  seq,
  at: "2026-11-24T12:00:00.000Z",
});

/** The `data` of each SSE message in a body, as EventSource would deliver them. */
const messages = (body: string) =>
  body
    .split("\n\n")
    .map((block) =>
      block
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n"),
    )
    .filter(Boolean);

describe("stream protocol", () => {
  it("uses the AI SDK UI message stream headers", () => {
    expect(RUN_STREAM_HEADERS).toMatchObject({
      "content-type": "text/event-stream",
      "x-vercel-ai-ui-message-stream": "v1",
    });
  });

  it("encodes an event as a data part with its seq as the SSE id", () => {
    const event = delta(7, "Hi");
    expect(encodeRunEvent(event)).toBe(
      `id: 7\ndata: ${JSON.stringify({ type: "data-run-event", id: "7", data: event })}\n\n`,
    );
  });

  it("round-trips a whole stream: start, events, heartbeats, finish and [DONE]", () => {
    const events = [status(1, "running"), delta(2, "line one\nline two"), status(3, "completed")];
    const body =
      encodeStreamStart() +
      encodeRunEvent(events[0] as StoredRunEvent) +
      encodeHeartbeat() +
      encodeRunEvent(events[1] as StoredRunEvent) +
      encodeRunEvent(events[2] as StoredRunEvent) +
      encodeStreamFinish();
    expect(parseRunStream(body)).toEqual([
      { type: "start" },
      ...events.map((event) => ({ type: "event", event })),
      { type: "finish" },
      { type: "done" },
    ]);
    expect(body.endsWith('data: {"type":"finish"}\n\ndata: [DONE]\n\n')).toBe(true);
  });

  it("rejects malformed and foreign chunks instead of throwing", () => {
    expect(parseRunStreamChunk("not json")).toBeNull();
    expect(parseRunStreamChunk("42")).toBeNull();
    expect(parseRunStreamChunk(JSON.stringify({ type: "text-delta", id: "1", delta: "x" }))).toBeNull();
    // Missing seq, a non-positive seq, an unknown event type, a wrong field type.
    const part = (data: unknown) => JSON.stringify({ type: "data-run-event", id: "1", data });
    const { seq: _seq, ...withoutSeq } = delta(1, "x");
    expect(parseRunStreamChunk(part(withoutSeq))).toBeNull();
    expect(parseRunStreamChunk(part({ ...delta(1, "x"), seq: 0 }))).toBeNull();
    expect(parseRunStreamChunk(part({ type: "run.teleport", seq: 1, at: "x" }))).toBeNull();
    expect(parseRunStreamChunk(part({ ...delta(1, "x"), delta: 5 }))).toBeNull();
    expect(parseRunStreamChunk(part(delta(1, "x")))).toEqual({ type: "event", event: delta(1, "x") });
  });

  it("resumes from the larger of ?after= and Last-Event-ID", () => {
    const url = "http://localhost/api/stream";
    expect(resumePointOf(new Request(url))).toBe(0);
    expect(resumePointOf(new Request(`${url}?after=12`))).toBe(12);
    expect(resumePointOf(new Request(`${url}?after=12`, { headers: { "last-event-id": "40" } }))).toBe(40);
    expect(resumePointOf(new Request(`${url}?after=50`, { headers: { "last-event-id": "40" } }))).toBe(50);
    expect(resumePointOf(new Request(`${url}?after=-3`, { headers: { "last-event-id": "x1" } }))).toBe(0);
  });

  it("adds the resume point to the stream URL", () => {
    expect(streamUrlAfter("/api/runs/r1/stream", 5)).toBe("/api/runs/r1/stream?after=5");
    expect(streamUrlAfter("/api/stream?run=r1", 0)).toBe("/api/stream?run=r1&after=0");
  });
});

class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: EventSourceLike["onopen"] = null;
  onmessage: EventSourceLike["onmessage"] = null;
  onerror: EventSourceLike["onerror"] = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  send(body: string) {
    for (const data of messages(body)) this.onmessage?.(new MessageEvent("message", { data }));
  }
  /** A dropped connection the browser retries by itself (readyState CONNECTING). */
  drop() {
    this.readyState = 0;
    this.onerror?.(new Event("error"));
  }
  /** A refused connection (HTTP error, wrong content type): EventSource gives up. */
  fail() {
    this.readyState = 2;
    this.onerror?.(new Event("error"));
  }
}

describe("openRunStream", () => {
  let connections: RunStreamConnection[];
  let received: StoredRunEvent[][];
  let pendingFlushes: (() => void)[];
  let lastSeq: number;

  const latest = () => FakeEventSource.instances[FakeEventSource.instances.length - 1] as FakeEventSource;
  const flushFrames = () => {
    for (const flush of pendingFlushes.splice(0)) flush();
  };

  const open = () =>
    openRunStream({
      streamUrl: "/stream",
      lastSeq: () => lastSeq,
      onEvents: (events) => {
        received.push(events);
        lastSeq = events[events.length - 1]?.seq ?? lastSeq;
      },
      onConnection: (c) => connections.push(c),
      createEventSource: (url) => new FakeEventSource(url),
      scheduleFlush: (flush) => pendingFlushes.push(flush),
      retry: { baseMs: 100, maxMs: 1_000, maxAttempts: 2 },
    });

  beforeEach(() => {
    FakeEventSource.instances = [];
    connections = [];
    received = [];
    pendingFlushes = [];
    lastSeq = 4;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("opens after the last applied event and reports connecting, then live", () => {
    open();
    expect(latest().url).toBe("/stream?after=4");
    expect(connections).toEqual(["connecting"]);
    latest().open();
    expect(connections).toEqual(["connecting", "live"]);
  });

  it("batches the events of one frame into one update and skips heartbeats and junk", () => {
    open();
    latest().open();
    latest().send(
      encodeStreamStart() +
        encodeRunEvent(delta(5, "a")) +
        encodeHeartbeat() +
        "data: {oops\n\n" +
        encodeRunEvent(delta(6, "b")),
    );
    expect(received).toEqual([]);
    flushFrames();
    expect(received).toEqual([[delta(5, "a"), delta(6, "b")]]);
    latest().send(encodeRunEvent(delta(7, "c")));
    flushFrames();
    expect(received).toHaveLength(2);
  });

  it("closes on finish, delivering what was buffered, and never reconnects", () => {
    open();
    latest().open();
    latest().send(encodeRunEvent(status(5, "completed")) + encodeStreamFinish());
    expect(received).toEqual([[status(5, "completed")]]);
    expect(latest().closed).toBe(true);
    expect(connections.at(-1)).toBe("closed");
    flushFrames();
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(received).toHaveLength(1);
  });

  it("reports reconnecting while the browser retries a dropped connection", () => {
    open();
    latest().open();
    latest().drop();
    expect(connections.at(-1)).toBe("reconnecting");
    latest().open();
    expect(connections.at(-1)).toBe("live");
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it("reopens a refused connection from the latest position with backoff, then gives up", () => {
    open();
    latest().open();
    latest().send(encodeRunEvent(delta(5, "a")));
    latest().fail();
    // Buffered events are delivered before reconnecting so the new URL resumes after them.
    expect(received).toEqual([[delta(5, "a")]]);
    expect(connections.at(-1)).toBe("reconnecting");
    vi.advanceTimersByTime(99);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(latest().url).toBe("/stream?after=5");

    latest().fail();
    vi.advanceTimersByTime(199);
    expect(FakeEventSource.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(3);

    latest().fail();
    expect(connections.at(-1)).toBe("closed");
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(3);
  });

  it("resets the backoff once a connection opens", () => {
    open();
    latest().fail();
    vi.advanceTimersByTime(100);
    latest().open();
    latest().fail();
    vi.advanceTimersByTime(100);
    expect(FakeEventSource.instances).toHaveLength(3);
  });

  it("stops everything when closed by the page", () => {
    const close = open();
    latest().open();
    latest().send(encodeRunEvent(delta(5, "a")));
    close();
    expect(latest().closed).toBe(true);
    latest().send(encodeRunEvent(delta(6, "b")));
    latest().fail();
    flushFrames();
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(received).toEqual([[delta(5, "a")]]);
  });

  it("feeds the reducer without duplicates when the replay overlaps the live stream", () => {
    let state = applyRunEvents(initialRunViewState({ status: "running" }), [delta(1, "He"), delta(2, "l")]);
    lastSeq = state.lastSeq;
    openRunStream({
      streamUrl: "/stream",
      lastSeq: () => lastSeq,
      onEvents: (events) => {
        state = applyRunEvents(state, events);
      },
      onConnection: () => {},
      createEventSource: (url) => new FakeEventSource(url),
      scheduleFlush: (flush) => flush(),
    });
    // A server that ignores `after` and replays from the start.
    latest().send(
      [1, 2, 3].map((seq) => encodeRunEvent(delta(seq, ["He", "l", "lo"][seq - 1] ?? ""))).join(""),
    );
    expect(state.lanes["orchestrator:run"]?.items).toMatchObject([{ kind: "text", text: "Hello" }]);
    expect(state.lastSeq).toBe(3);
  });
});

import { UI_MESSAGE_STREAM_HEADERS } from "ai";
import { runEventSchema, type StoredRunEvent } from "./events";

/**
 * The run stream's wire format, shared by the stream route (server) and `useRunEvents` (browser).
 * Pure, with no React import, so route handlers can import it.
 *
 * Transport: Server-Sent Events in the AI SDK UI message stream format (v1).
 *
 *   GET <stream route>?after=<seq>   (the run page passes the route's URL as `streamUrl`)
 *   Response headers: RUN_STREAM_HEADERS (content-type text/event-stream,
 *   x-vercel-ai-ui-message-stream: v1, cache-control no-cache, x-accel-buffering no).
 *
 * Resume point: the server sends events with `seq` strictly greater than
 * `resumePointOf(request)` = the larger of the `?after=<seq>` query parameter and the
 * `Last-Event-ID` header (which the browser's EventSource sends on its automatic reconnects).
 * Both default to 0 (the whole log).
 *
 * Body, in this order:
 *   1. `encodeStreamStart()`       data: {"type":"start"}
 *   2. the replay: every stored event after the resume point, in `seq` order, then the live ones
 *      as they are appended, each with `encodeRunEvent(event)`:
 *        id: <seq>
 *        data: {"type":"data-run-event","id":"<seq>","data":<StoredRunEvent>}
 *      The `id:` line is what makes EventSource resume with `Last-Event-ID`. Events must be
 *      sent in increasing `seq` order; the client drops any event at or below the last it applied.
 *   3. `encodeHeartbeat()` every ~15 s while idle: an SSE comment (`: ping`), ignored by clients,
 *      which keeps proxies from closing the connection.
 *   4. once the run has a final status (completed, failed, cancelled, budget_exhausted):
 *      `encodeStreamFinish()`  data: {"type":"finish"} then data: [DONE], and the server closes
 *      the response. A run already final when the request arrives gets the replay and the finish
 *      at once.
 *
 * The run function writes the final `run.status` event last (until the run is resumed), so a
 * client may close as soon as it applies a final status. A resumed run appends a new non-final
 * `run.status`; viewers reconnect from their last position.
 */

export const RUN_EVENT_PART = "data-run-event";

export const RUN_STREAM_HEADERS: Readonly<Record<string, string>> = UI_MESSAGE_STREAM_HEADERS;

/** How often the server sends a heartbeat comment while no event is appended. */
export const RUN_STREAM_HEARTBEAT_MS = 15_000;

export type RunStreamChunk =
  | { type: "start" }
  | { type: "event"; event: StoredRunEvent }
  | { type: "finish" }
  | { type: "done" };

const sse = (data: string) => `data: ${data}\n\n`;

export const encodeStreamStart = () => sse(JSON.stringify({ type: "start" }));

export function encodeRunEvent(event: StoredRunEvent): string {
  const id = String(event.seq);
  return `id: ${id}\n${sse(JSON.stringify({ type: RUN_EVENT_PART, id, data: event }))}`;
}

export const encodeHeartbeat = () => ": ping\n\n";

export const encodeStreamFinish = () => sse(JSON.stringify({ type: "finish" })) + sse("[DONE]");

function validStoredEvent(value: unknown): StoredRunEvent | null {
  if (typeof value !== "object" || value === null) return null;
  const { seq, at } = value as { seq?: unknown; at?: unknown };
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1 || typeof at !== "string") return null;
  const parsed = runEventSchema.safeParse(value);
  return parsed.success ? ({ ...parsed.data, seq, at } as StoredRunEvent) : null;
}

/**
 * Parses the `data` of one SSE message. Returns null for anything that is not part of the run
 * stream (other UI message chunk types, malformed JSON, events of a type this build does not
 * know): a client skips those rather than failing.
 */
export function parseRunStreamChunk(data: string): RunStreamChunk | null {
  const text = data.trim();
  if (text === "[DONE]") return { type: "done" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null) return null;
  const chunk = json as { type?: unknown; data?: unknown };
  if (chunk.type === "start") return { type: "start" };
  if (chunk.type === "finish") return { type: "finish" };
  if (chunk.type === RUN_EVENT_PART) {
    const event = validStoredEvent(chunk.data);
    return event ? { type: "event", event } : null;
  }
  return null;
}

/**
 * Splits an SSE body (or a complete prefix of one) into run stream chunks, following the SSE rules
 * for `data:` lines and comments. For server-side tests and benchmarks, which read the response
 * with fetch rather than EventSource.
 */
export function parseRunStream(body: string): RunStreamChunk[] {
  const chunks: RunStreamChunk[] = [];
  for (const block of body.replace(/\r\n?/g, "\n").split("\n\n")) {
    const data = block
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5));
    if (data.length === 0) continue;
    const chunk = parseRunStreamChunk(data.join("\n"));
    if (chunk) chunks.push(chunk);
  }
  return chunks;
}

const toSeq = (value: string | null) => {
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return 0;
  return Number(value.trim());
};

/** Where a (re)connecting client resumes: the larger of `?after=` and `Last-Event-ID` (0 if neither). */
export function resumePointOf(request: Request): number {
  const after = toSeq(new URL(request.url).searchParams.get("after"));
  return Math.max(after, toSeq(request.headers.get("last-event-id")));
}

/** The stream URL for a client that has applied everything up to `lastSeq`. */
export const streamUrlAfter = (streamUrl: string, lastSeq: number) =>
  `${streamUrl}${streamUrl.includes("?") ? "&" : "?"}after=${lastSeq}`;

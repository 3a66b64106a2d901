import { pipeline, Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { createGunzip } from "node:zlib";

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body over ${limit} bytes`);
  }
}

/** The body could not be read: corrupt gzip, the client went away, or it stalled/took too long. */
export class BodyReadError extends Error {
  constructor(
    readonly kind: "corrupt" | "aborted" | "idle" | "deadline",
    message: string,
  ) {
    super(message);
  }
  /** The HTTP status to answer with (when the client is still there to read it). */
  get status(): number {
    return this.kind === "idle" || this.kind === "deadline" ? 408 : 400;
  }
}

/** 200 MB: the largest push (decompressed request body) the app takes over HTTPS. */
export const MAX_PUSH_BYTES = 200 * 1024 * 1024;
/** Fetch negotiation bodies (wants and haves) are small: git's own default buffer cap, 10 MB. */
export const MAX_FETCH_REQUEST_BYTES = 10 * 1024 * 1024;
/** A client that sends no byte for this long is dropped (the body read is aborted). */
export const BODY_IDLE_TIMEOUT_MS = 60_000;
/** The whole body of a push must arrive within this; fetch negotiations within a fraction of it. */
export const PUSH_BODY_DEADLINE_MS = 10 * 60_000;
export const FETCH_BODY_DEADLINE_MS = 2 * 60_000;

export type BodyLimits = { maxBytes: number; idleMs?: number; deadlineMs?: number };

const isZlibError = (error: unknown) => {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("Z_");
};

/**
 * A git request's body as bytes: gunzipped here when git sent `Content-Encoding: gzip` (it does
 * for large fetch negotiations), so the limit counts what git would unpack and http-backend never
 * sees an encoding. Past `maxBytes` the iteration throws BodyTooLargeError; a corrupt gzip
 * stream, a client that goes away, sends nothing for `idleMs` or has not finished by `deadlineMs`
 * (counted from the first read) throw BodyReadError. The source is always released.
 */
export async function* requestBody(req: Request, limits: BodyLimits | number): AsyncGenerator<Uint8Array> {
  const {
    maxBytes,
    idleMs = BODY_IDLE_TIMEOUT_MS,
    deadlineMs = PUSH_BODY_DEADLINE_MS,
  } = typeof limits === "number" ? { maxBytes: limits } : limits;
  if (!req.body) return;
  const raw = Readable.fromWeb(req.body as unknown as NodeWebStream<Uint8Array>);
  const encoding = req.headers.get("content-encoding")?.trim().toLowerCase();
  // pipeline (not .pipe): an error or destroy of the request body reaches the gunzip stream, so
  // the iteration below ends instead of waiting forever, and no 'error' goes unhandled.
  const source: Readable =
    encoding === "gzip" || encoding === "x-gzip" ? pipeline(raw, createGunzip(), () => {}) : raw;
  const iterator = source[Symbol.asyncIterator]();
  const deadline = Date.now() + deadlineMs;
  let total = 0;
  try {
    for (;;) {
      const wait = Math.max(0, Math.min(idleMs, deadline - Date.now()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), wait);
      });
      let next: IteratorResult<unknown> | "timeout";
      try {
        next = await Promise.race([iterator.next(), timedOut]);
      } catch (error) {
        if (isZlibError(error)) throw new BodyReadError("corrupt", "The request body is not valid gzip.");
        throw new BodyReadError("aborted", "The request body could not be read: the connection was closed.");
      } finally {
        clearTimeout(timer);
      }
      if (next === "timeout") {
        throw Date.now() >= deadline
          ? new BodyReadError(
              "deadline",
              `The request body took longer than ${Math.round(deadlineMs / 1000)} s.`,
            )
          : new BodyReadError("idle", `The request body stalled for ${Math.round(idleMs / 1000)} s.`);
      }
      if (next.done) return;
      const chunk = next.value as Buffer;
      total += chunk.length;
      if (total > maxBytes) throw new BodyTooLargeError(maxBytes);
      yield chunk;
    }
  } finally {
    source.destroy();
    raw.destroy();
  }
}

/** Content encodings git sends; anything else is refused before git runs. */
export function acceptedEncoding(req: Request): boolean {
  const encoding = req.headers.get("content-encoding")?.trim().toLowerCase();
  return !encoding || encoding === "identity" || encoding === "gzip" || encoding === "x-gzip";
}

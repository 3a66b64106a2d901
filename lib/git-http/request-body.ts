import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { createGunzip } from "node:zlib";

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body over ${limit} bytes`);
  }
}

/** 200 MB: the largest push (decompressed request body) the app takes over HTTPS. */
export const MAX_PUSH_BYTES = 200 * 1024 * 1024;
/** Fetch negotiation bodies (wants and haves) are small: git's own default buffer cap, 10 MB. */
export const MAX_FETCH_REQUEST_BYTES = 10 * 1024 * 1024;

/**
 * A git request's body as bytes: gunzipped here when git sent `Content-Encoding: gzip` (it does
 * for large fetch negotiations), so the limit counts what git would unpack and http-backend never
 * sees an encoding. Past `maxBytes` the iteration throws BodyTooLargeError.
 */
export async function* requestBody(req: Request, maxBytes: number): AsyncGenerator<Uint8Array> {
  if (!req.body) return;
  let source: Readable = Readable.fromWeb(req.body as unknown as NodeWebStream<Uint8Array>);
  const encoding = req.headers.get("content-encoding")?.trim().toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") source = source.pipe(createGunzip());
  let total = 0;
  try {
    for await (const chunk of source) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw new BodyTooLargeError(maxBytes);
      yield chunk as Buffer;
    }
  } finally {
    source.destroy();
  }
}

/** Content encodings git sends; anything else is refused before git runs. */
export function acceptedEncoding(req: Request): boolean {
  const encoding = req.headers.get("content-encoding")?.trim().toLowerCase();
  return !encoding || encoding === "identity" || encoding === "gzip" || encoding === "x-gzip";
}

import { AppError } from "@/lib/errors";
import { readCappedBody } from "./read-body";

const DEFAULT_MAX_BYTES = 64 * 1024;

/**
 * Reads a JSON body with a size cap enforced while streaming: a chunked body or one whose
 * Content-Length lies is cut off as soon as it passes the cap, never buffered whole.
 */
export async function readJson(req: Request, maxBytes = DEFAULT_MAX_BYTES): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError(
      "unsupported_media_type",
      "Send the body as JSON with Content-Type: application/json.",
    );
  }
  const tooLarge = () => new AppError("payload_too_large", `The body must be at most ${maxBytes} bytes.`);
  const body = await readCappedBody(req, maxBytes, tooLarge);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new AppError("bad_request", "The request body is not valid UTF-8.");
  }
  if (text.trim() === "") throw new AppError("bad_request", "The request body is empty; JSON was expected.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
}

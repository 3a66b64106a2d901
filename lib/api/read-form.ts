import { AppError } from "@/lib/errors";
import { readCappedBody } from "./read-body";

/**
 * Reads a multipart/form-data body with a size cap enforced while streaming (like `readJson`):
 * a Content-Length over the cap is refused before reading, and a chunked or lying body is cut off
 * as soon as it passes the cap, never buffered whole.
 */
export async function readForm(req: Request, maxBytes: number): Promise<FormData> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new AppError("unsupported_media_type", "Send the file as multipart/form-data.");
  }
  const tooLarge = () =>
    new AppError("payload_too_large", `The upload must be at most ${Math.floor(maxBytes / 1024 / 1024)} MB.`);
  const body = await readCappedBody(req, maxBytes, tooLarge);
  try {
    return await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new AppError("bad_request", "The upload is not valid multipart/form-data.");
  }
}

import { AppError } from "@/lib/errors";

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
  if (Number(req.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  try {
    return await new Response(Buffer.concat(chunks), { headers: { "content-type": type } }).formData();
  } catch {
    throw new AppError("bad_request", "The upload is not valid multipart/form-data.");
  }
}

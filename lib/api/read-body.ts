/**
 * Reads a request body with a size cap enforced while streaming: a Content-Length over the cap is
 * refused before reading, and a chunked or lying body is cut off as soon as it passes the cap,
 * never buffered whole. `tooLarge` makes the error to throw.
 */
export async function readCappedBody(
  req: Request,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer<ArrayBuffer>> {
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
  return Buffer.concat(chunks);
}

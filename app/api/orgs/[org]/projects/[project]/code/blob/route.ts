import { orgRoute } from "@/lib/api/route";
import { readBlob, readBlobRaw } from "@/lib/repos/read/read-blob";
import { attachment, blobQuerySchema } from "@/lib/repos/read/schemas";

/**
 * A file: `?ref=&path=`. JSON with its text (when it is text and small enough to show), or with
 * `raw=1` its bytes as a download, streamed. A download is never rendered by the browser as a page
 * of this origin (attachment, nosniff, a sandboxing CSP).
 */
export const GET = orgRoute(
  { permission: "projects.read", query: blobQuerySchema },
  async ({ ctx, params, query }) => {
    const project = params.project ?? "";
    if (query.raw !== "1") return readBlob(ctx, project, query);
    const file = await readBlobRaw(ctx, project, query);
    return new Response(file.stream, {
      headers: {
        "content-type": file.binary ? "application/octet-stream" : "text/plain; charset=utf-8",
        "content-length": String(file.size),
        "content-disposition": attachment(file.name),
        "x-content-type-options": "nosniff",
        "content-security-policy": "sandbox; default-src 'none'",
        "cache-control": "private, no-store",
      },
    });
  },
);

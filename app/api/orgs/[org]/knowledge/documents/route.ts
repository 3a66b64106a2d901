import { readForm } from "@/lib/api/read-form";
import { orgRoute } from "@/lib/api/route";
import { MAX_UPLOAD_BYTES } from "@/lib/knowledge/limits";
import { listDocuments } from "@/lib/knowledge/list-documents";
import { listDocumentsQuery } from "@/lib/knowledge/schemas";
import { uploadDocument } from "@/lib/knowledge/upload-document";

/** `?project=<slug>` (absent: the organization's own), `source`, `q` (in titles and tags). */
export const GET = orgRoute(
  { permission: "knowledge.read", query: listDocumentsQuery },
  async ({ ctx, query }) => ({
    documents: await listDocuments(ctx, { projectSlug: query.project, source: query.source, q: query.q }),
  }),
);

/** Room for the multipart boundaries and the other fields around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * multipart/form-data: `file`, and optionally `project` (slug), `title`, `tags` (comma-separated)
 * and `documentId` (upload a new version of that document). 201 with the document, `processing`.
 */
export const POST = orgRoute(
  { permission: "knowledge.write", limit: "knowledge.upload.user" },
  async ({ req, ctx }) => {
    const form = await readForm(req, MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES);
    const text = (name: string) => {
      const v = form.get(name);
      return typeof v === "string" && v !== "" ? v : undefined;
    };
    const file = form.get("file");
    const document = await uploadDocument(ctx, {
      file: file instanceof File ? file : null,
      projectSlug: text("project"),
      title: text("title"),
      tags: text("tags"),
      documentId: text("documentId"),
    });
    return Response.json({ document }, { status: 201 });
  },
);

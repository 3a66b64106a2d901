import { orgRoute } from "@/lib/api/route";
import { deleteDocument } from "@/lib/knowledge/delete-document";
import { getDocument } from "@/lib/knowledge/get-document";
import { documentScopeQuery, updateDocumentSchema } from "@/lib/knowledge/schemas";
import { updateDocument } from "@/lib/knowledge/update-document";

// `?project=<slug>` names the scope of a project's document; absent, the organization's own.

/** The document with its versions. */
export const GET = orgRoute(
  { permission: "knowledge.read", query: documentScopeQuery },
  async ({ ctx, params, query }) => ({
    document: await getDocument(ctx, params.id ?? "", { projectSlug: query.project }),
  }),
);

/** `{ title?, tags? }`. */
export const PATCH = orgRoute(
  { permission: "knowledge.write", body: updateDocumentSchema, query: documentScopeQuery },
  async ({ ctx, params, body, query }) => ({
    document: await updateDocument(ctx, params.id ?? "", body, { projectSlug: query.project }),
  }),
);

/** Removes the document, its versions and its chunks. */
export const DELETE = orgRoute(
  { permission: "knowledge.write", query: documentScopeQuery },
  async ({ ctx, params, query }) => deleteDocument(ctx, params.id ?? "", { projectSlug: query.project }),
);

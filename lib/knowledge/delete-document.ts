import "server-only";
import { and, eq } from "drizzle-orm";
import { knowledgeChunks, knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { findDocumentRow } from "./document-view";
import { resolveProjectScope } from "./resolve-project-scope";

export type DeleteDocumentResult = { deleted: true; id: string; note?: string };

/**
 * Removes a document of the scope with every version and every chunk. A repository document comes
 * back on the next index of the branch (delete the file from the repository to drop it for good).
 */
export async function deleteDocument(
  ctx: OrgContext,
  id: string,
  scope: { projectSlug?: string | null } = {},
): Promise<DeleteDocumentResult> {
  return ctx.tx(async (tx) => {
    const projectId = await resolveProjectScope(tx, ctx.org.id, scope.projectSlug, { write: true });
    const row = await findDocumentRow(tx, ctx.org.id, projectId, id, { forUpdate: true });
    // The foreign keys cascade; deleting explicitly keeps the org filter on every statement.
    await tx
      .delete(knowledgeChunks)
      .where(and(eq(knowledgeChunks.orgId, ctx.org.id), eq(knowledgeChunks.documentId, row.id)));
    await tx
      .delete(knowledgeDocumentVersions)
      .where(
        and(
          eq(knowledgeDocumentVersions.orgId, ctx.org.id),
          eq(knowledgeDocumentVersions.documentId, row.id),
        ),
      );
    await tx
      .delete(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.orgId, ctx.org.id), eq(knowledgeDocuments.id, row.id)));
    await ctx.audit(tx, {
      action: "knowledge_document.delete",
      target: { type: "knowledge_document", id: row.id },
      metadata: { title: row.title, source: row.source, projectId },
    });
    return {
      deleted: true,
      id: row.id,
      ...(row.source === "repository"
        ? {
            note: "This file is still in the repository: it comes back the next time the default branch is indexed. Remove it from the repository to drop it for good.",
          }
        : {}),
    };
  });
}

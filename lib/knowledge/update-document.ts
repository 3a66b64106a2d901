import "server-only";
import { and, eq } from "drizzle-orm";
import { knowledgeDocuments } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import type { OrgContext } from "@/lib/orgs/context";
import { documentViews, findDocumentRow } from "./document-view";
import { resolveProjectScope } from "./resolve-project-scope";
import { type UpdateDocumentInput, updateDocumentSchema } from "./schemas";
import type { KnowledgeDocumentView } from "./types";

/** Renames or re-tags a document of the scope (its text and chunks stay as they are). */
export async function updateDocument(
  ctx: OrgContext,
  id: string,
  input: UpdateDocumentInput,
  scope: { projectSlug?: string | null } = {},
): Promise<KnowledgeDocumentView> {
  const patch = parseWith(updateDocumentSchema, input);
  return ctx.tx(async (tx) => {
    const projectId = await resolveProjectScope(tx, ctx.org.id, scope.projectSlug, { write: true });
    const row = await findDocumentRow(tx, ctx.org.id, projectId, id, { forUpdate: true });
    const [updated] = await tx
      .update(knowledgeDocuments)
      .set({
        title: patch.title ?? row.title,
        tags: patch.tags ?? row.tags,
        updatedAt: new Date(),
        updatedById: ctx.user.id,
      })
      .where(and(eq(knowledgeDocuments.orgId, ctx.org.id), eq(knowledgeDocuments.id, row.id)))
      .returning();
    await ctx.audit(tx, {
      action: "knowledge_document.update",
      target: { type: "knowledge_document", id: row.id },
      metadata: { title: patch.title, tags: patch.tags },
    });
    const [view] = await documentViews(tx, ctx.org.id, updated ? [updated] : []);
    return view as KnowledgeDocumentView;
  });
}

import "server-only";
import { and, desc, eq, ilike, isNull, or, type SQL, sql } from "drizzle-orm";
import { type KnowledgeSource, knowledgeDocuments } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { documentViews } from "./document-view";
import { resolveProjectScope } from "./resolve-project-scope";
import type { KnowledgeDocumentView } from "./types";

/** A list shows at most this many documents (newest first); search finds the rest. */
export const MAX_LISTED_DOCUMENTS = 200;

/**
 * The documents of one scope (a project's, or the organization's own), newest first, optionally of
 * one source or whose title or tags contain `q`.
 */
export async function listDocuments(
  ctx: OrgContext,
  input: { projectSlug?: string | null; source?: KnowledgeSource; q?: string },
): Promise<KnowledgeDocumentView[]> {
  return ctx.tx(async (tx) => {
    const projectId = await resolveProjectScope(tx, ctx.org.id, input.projectSlug);
    const where: (SQL | undefined)[] = [
      eq(knowledgeDocuments.orgId, ctx.org.id),
      projectId ? eq(knowledgeDocuments.projectId, projectId) : isNull(knowledgeDocuments.projectId),
    ];
    if (input.source) where.push(eq(knowledgeDocuments.source, input.source));
    const q = input.q?.trim();
    if (q) {
      const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        or(
          ilike(knowledgeDocuments.title, pattern),
          sql`array_to_string(${knowledgeDocuments.tags}, ' ') ilike ${pattern}`,
        ),
      );
    }
    const rows = await tx
      .select()
      .from(knowledgeDocuments)
      .where(and(...where))
      .orderBy(desc(knowledgeDocuments.updatedAt), desc(knowledgeDocuments.id))
      .limit(MAX_LISTED_DOCUMENTS);
    return documentViews(tx, ctx.org.id, rows);
  });
}

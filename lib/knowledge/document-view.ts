import { and, desc, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { type KnowledgeDocumentRow, knowledgeDocuments, knowledgeDocumentVersions, users } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { KnowledgeDocumentView } from "./types";

export const documentNotFound = () => notFound("Document not found.");

/** The document with this id in this organization and scope (a project's, or the organization's own). */
export async function findDocumentRow(
  tx: Tx,
  orgId: string,
  projectId: string | null,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<KnowledgeDocumentRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw documentNotFound();
  const query = tx
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.orgId, orgId), eq(knowledgeDocuments.id, id)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  // Another scope's document looks like a missing one.
  if (!row || row.projectId !== projectId) throw documentNotFound();
  return row;
}

/** Views of documents, with their newest version's file details and their creator. */
export async function documentViews(tx: Tx, orgId: string, rows: KnowledgeDocumentRow[]) {
  const out: KnowledgeDocumentView[] = [];
  for (const row of rows) {
    const [version] = await tx
      .select({
        fileName: knowledgeDocumentVersions.fileName,
        mimeType: knowledgeDocumentVersions.mimeType,
        byteSize: knowledgeDocumentVersions.byteSize,
      })
      .from(knowledgeDocumentVersions)
      .where(
        and(eq(knowledgeDocumentVersions.orgId, orgId), eq(knowledgeDocumentVersions.documentId, row.id)),
      )
      .orderBy(desc(knowledgeDocumentVersions.version))
      .limit(1);
    const [creator] = row.createdById
      ? await tx
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(eq(users.id, row.createdById))
      : [];
    out.push(toDocumentView(row, version ?? null, creator ?? null));
  }
  return out;
}

export function toDocumentView(
  row: KnowledgeDocumentRow,
  version: { fileName: string | null; mimeType: string; byteSize: number } | null,
  createdBy: KnowledgeDocumentView["createdBy"],
): KnowledgeDocumentView {
  return {
    id: row.id,
    projectId: row.projectId,
    source: row.source,
    title: row.title,
    tags: row.tags,
    status: row.status,
    error: row.error,
    currentVersion: row.currentVersion,
    chunkCount: row.chunkCount,
    fileName: version?.fileName ?? null,
    mimeType: version?.mimeType ?? null,
    byteSize: version?.byteSize ?? null,
    runId: row.runId,
    taskId: row.taskId,
    agentSlug: row.agentSlug,
    createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

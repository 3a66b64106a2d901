import { and, desc, eq, inArray } from "drizzle-orm";
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

/**
 * Views of documents, with their newest version's file details and their creator: two queries
 * for the whole list, whatever its length.
 */
export async function documentViews(tx: Tx, orgId: string, rows: KnowledgeDocumentRow[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const versions = await tx
    .selectDistinctOn([knowledgeDocumentVersions.documentId], {
      documentId: knowledgeDocumentVersions.documentId,
      fileName: knowledgeDocumentVersions.fileName,
      mimeType: knowledgeDocumentVersions.mimeType,
      byteSize: knowledgeDocumentVersions.byteSize,
    })
    .from(knowledgeDocumentVersions)
    .where(
      and(eq(knowledgeDocumentVersions.orgId, orgId), inArray(knowledgeDocumentVersions.documentId, ids)),
    )
    .orderBy(knowledgeDocumentVersions.documentId, desc(knowledgeDocumentVersions.version));
  const creatorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => !!id))];
  const creators = creatorIds.length
    ? await tx
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, creatorIds))
    : [];
  const versionOf = new Map(versions.map((v) => [v.documentId, v]));
  const creatorOf = new Map(creators.map((c) => [c.id, c]));
  return rows.map((row) =>
    toDocumentView(
      row,
      versionOf.get(row.id) ?? null,
      row.createdById ? (creatorOf.get(row.createdById) ?? null) : null,
    ),
  );
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

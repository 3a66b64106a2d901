import { createHash } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import {
  type KnowledgeSource,
  knowledgeChunks,
  knowledgeDocuments,
  knowledgeDocumentVersions,
} from "@/db/schema";
import { chunkText } from "./chunk";
import type { Chunk, ChunkFormat } from "./types";

export type TextDocumentInput = {
  orgId: string;
  projectId: string | null;
  source: KnowledgeSource;
  /** Finds the document again (`repo:<path>`, `run:<id>`, an insight's derived id): writes are idempotent by it. */
  key: string;
  title: string;
  text: string;
  format: ChunkFormat;
  tags?: string[];
  fileName?: string | null;
  mimeType?: string;
  runId?: string | null;
  taskId?: string | null;
  agentSlug?: string | null;
  userId?: string | null;
};

export const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * Stores a text the app already has (an insight, a run outcome, a repository file) as a ready
 * document: new → version 1; changed text → the next version, re-chunked; same text → nothing.
 * Safe to run twice (at-least-once steps): the key finds the document, the hash the version.
 */
export async function saveTextDocument(
  tx: Tx,
  input: TextDocumentInput,
): Promise<{ id: string; version: number; changed: boolean }> {
  const hash = sha256(input.text);
  const [existing] = await tx
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.orgId, input.orgId), eq(knowledgeDocuments.key, input.key)))
    .limit(1)
    .for("update");
  let id: string;
  let version: number;
  if (existing) {
    const [current] = await tx
      .select({ hash: knowledgeDocumentVersions.contentHash })
      .from(knowledgeDocumentVersions)
      .where(
        and(
          eq(knowledgeDocumentVersions.documentId, existing.id),
          eq(knowledgeDocumentVersions.version, existing.currentVersion),
        ),
      );
    const metaChanged =
      existing.title !== input.title ||
      (input.tags && input.tags.join("\u0000") !== existing.tags.join("\u0000"));
    if (current?.hash === hash && existing.status === "ready") {
      if (metaChanged) {
        await tx
          .update(knowledgeDocuments)
          .set({
            title: input.title,
            tags: input.tags ?? existing.tags,
            updatedAt: new Date(),
            updatedById: input.userId ?? null,
          })
          .where(eq(knowledgeDocuments.id, existing.id));
      }
      return { id: existing.id, version: existing.currentVersion, changed: !!metaChanged };
    }
    id = existing.id;
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${knowledgeDocumentVersions.version}), 0)::int + 1` })
      .from(knowledgeDocumentVersions)
      .where(eq(knowledgeDocumentVersions.documentId, id));
    version = Number(next);
  } else {
    const [row] = await tx
      .insert(knowledgeDocuments)
      .values({
        orgId: input.orgId,
        projectId: input.projectId,
        source: input.source,
        key: input.key,
        title: input.title,
        tags: input.tags ?? [],
        runId: input.runId ?? null,
        taskId: input.taskId ?? null,
        agentSlug: input.agentSlug ?? null,
        createdById: input.userId ?? null,
        updatedById: input.userId ?? null,
      })
      .returning({ id: knowledgeDocuments.id });
    if (!row) throw new Error("Knowledge document was not saved");
    id = row.id;
    version = 1;
  }
  await tx.insert(knowledgeDocumentVersions).values({
    orgId: input.orgId,
    documentId: id,
    version,
    fileName: input.fileName ?? null,
    mimeType: input.mimeType ?? (input.format === "markdown" ? "text/markdown" : "text/plain"),
    byteSize: Buffer.byteLength(input.text),
    contentHash: hash,
    text: input.text,
    createdById: input.userId ?? null,
  });
  await storeChunks(tx, {
    orgId: input.orgId,
    projectId: input.projectId,
    documentId: id,
    version,
    chunks: chunkText(input.text, input.format),
    title: input.title,
    tags: input.tags,
    userId: input.userId,
  });
  return { id, version, changed: true };
}

/**
 * Makes `version` the searched one: its chunks replace every other version's, and the document is
 * ready. Inserting the same chunks again changes nothing.
 */
export async function storeChunks(
  tx: Tx,
  args: {
    orgId: string;
    projectId: string | null;
    documentId: string;
    version: number;
    chunks: Chunk[];
    title?: string;
    tags?: string[];
    userId?: string | null;
  },
): Promise<void> {
  await tx
    .delete(knowledgeChunks)
    .where(
      and(
        eq(knowledgeChunks.orgId, args.orgId),
        eq(knowledgeChunks.documentId, args.documentId),
        ne(knowledgeChunks.version, args.version),
      ),
    );
  // Batches keep each statement's parameters under the driver's limit.
  for (let i = 0; i < args.chunks.length; i += 500) {
    await tx
      .insert(knowledgeChunks)
      .values(
        args.chunks.slice(i, i + 500).map((c, j) => ({
          orgId: args.orgId,
          projectId: args.projectId,
          documentId: args.documentId,
          version: args.version,
          ordinal: i + j,
          heading: c.heading,
          content: c.content,
          startOffset: c.startOffset,
          endOffset: c.endOffset,
          startLine: c.startLine,
          endLine: c.endLine,
          page: c.page ?? null,
        })),
      )
      .onConflictDoNothing();
  }
  await tx
    .update(knowledgeDocuments)
    .set({
      status: "ready",
      error: null,
      currentVersion: args.version,
      chunkCount: args.chunks.length,
      updatedAt: new Date(),
      ...(args.title ? { title: args.title } : {}),
      ...(args.tags ? { tags: args.tags } : {}),
      ...(args.userId !== undefined ? { updatedById: args.userId } : {}),
    })
    .where(and(eq(knowledgeDocuments.orgId, args.orgId), eq(knowledgeDocuments.id, args.documentId)));
}

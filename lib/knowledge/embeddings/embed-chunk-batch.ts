import { sql } from "drizzle-orm";
import { withTenant } from "@/db";
import { rows } from "@/lib/engine/store";
import { EmbeddingError, embedTexts } from "./embed-texts";
import type { ResolvedEmbeddingModel } from "./embedding-model-for";
import { ensureVectorIndex } from "./ensure-vector-index";
import { pendingChunksWhere } from "./pending-chunks";
import { recordEmbeddingFailure } from "./record-embedding-failure";
import { resolveEmbeddingModel } from "./resolve-embedding-model";
import { writeEmbeddings } from "./write-embeddings";

export const EMBED_BATCH_SIZE = 64;

export type EmbedBatchResult =
  /** The organization has no embedding model: nothing to do. */
  | { status: "no-model" }
  | { status: "embedded"; modelId: string; embedded: number; remaining: number }
  /** Stopped for good; the reason is recorded for the admin. */
  | { status: "failed"; modelId: string; reason: string };

/** What is embedded for a chunk: its headings give a passage its topic. */
export const embeddingText = (heading: string, content: string) =>
  heading ? `${heading}\n\n${content}` : content;

/** The length of the vectors already stored for `modelId` in the organization, or null if none. */
async function storedDimensions(orgId: string, modelId: string): Promise<number | null> {
  const [row] = await withTenant({ orgId }, (tx) =>
    rows<{ dims: number | null }>(
      tx,
      sql`select array_length(embedding, 1) as dims from knowledge_chunks
          where org_id = ${orgId} and embedding_model = ${modelId} and embedding is not null limit 1`,
    ),
  );
  return row?.dims == null ? null : Number(row.dims);
}

/**
 * One batch of the organization's chunks that lack an embedding from its current model: read,
 * embedded by the provider (outside any transaction), written back where the chunk is unchanged.
 * Safe to run twice: a second run finds the next chunks, or none. A provider error that retrying
 * can fix is thrown (the step retries); a permanent one is recorded and returned.
 */
export async function embedChunkBatch(
  orgId: string,
  options: { batchSize?: number; model?: ResolvedEmbeddingModel | null } = {},
): Promise<EmbedBatchResult> {
  const model = options.model !== undefined ? options.model : await resolveEmbeddingModel(orgId);
  if (!model) return { status: "no-model" };
  const batchSize = options.batchSize ?? EMBED_BATCH_SIZE;
  const pending = await withTenant({ orgId }, (tx) =>
    rows<{ id: string; version: number; heading: string; content: string }>(
      tx,
      sql`select c.id, c.version, c.heading, c.content from knowledge_chunks c, knowledge_documents d
          where ${pendingChunksWhere(orgId, model.id)}
          order by c.document_id, c.ordinal limit ${batchSize}`,
    ),
  );
  if (pending.length === 0) return { status: "embedded", modelId: model.id, embedded: 0, remaining: 0 };

  let vectors: number[][];
  try {
    vectors = await embedTexts(
      model,
      pending.map((c) => embeddingText(c.heading, c.content)),
      "document",
    );
  } catch (error) {
    if (error instanceof EmbeddingError && error.permanent) {
      await recordEmbeddingFailure(orgId, model.id, error.message);
      return { status: "failed", modelId: model.id, reason: error.message };
    }
    throw error;
  }
  const dims = vectors[0]?.length ?? 0;
  const pinned = await storedDimensions(orgId, model.id);
  if (pinned !== null && dims !== pinned) {
    // Mixed lengths under one model id would make its vectors incomparable (and each new length
    // would ask for another index): the model id is pinned to the length of its first vectors.
    const reason = `The embedding server returned ${dims}-dimension vectors for ${model.id}, earlier ${pinned}. Choose another model id to re-embed with a different model.`;
    await recordEmbeddingFailure(orgId, model.id, reason);
    return { status: "failed", modelId: model.id, reason };
  }
  const { embedded, remaining } = await withTenant({ orgId }, async (tx) => {
    const written = await writeEmbeddings(
      tx,
      orgId,
      model.id,
      pending.map((c, i) => ({
        chunkId: c.id,
        version: c.version,
        content: c.content,
        vector: vectors[i] ?? [],
      })),
    );
    const [left] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from knowledge_chunks c, knowledge_documents d where ${pendingChunksWhere(orgId, model.id)}`,
    );
    return { embedded: written, remaining: Number(left?.n ?? 0) };
  });
  if (dims) await ensureVectorIndex(dims);
  return { status: "embedded", modelId: model.id, embedded, remaining };
}

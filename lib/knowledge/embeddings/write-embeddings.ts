import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { rows } from "@/lib/engine/store";
import { vectorLiteral } from "./normalize-vector";

export type ChunkEmbedding = {
  chunkId: string;
  version: number;
  /** The text that was embedded: the write happens only if the chunk still holds it. */
  content: string;
  vector: number[];
};

export const contentHash = (content: string) => createHash("md5").update(content, "utf8").digest("hex");

/**
 * Stores embeddings from `modelId`, in one statement, only on chunks that still have the version
 * and content that were embedded and lack an embedding from this model. Writing the same batch
 * twice changes nothing the second time; returns how many chunks were written.
 */
export async function writeEmbeddings(
  tx: Tx,
  orgId: string,
  modelId: string,
  items: ChunkEmbedding[],
): Promise<number> {
  if (items.length === 0) return 0;
  const payload = JSON.stringify(
    items.map((i) => ({
      id: i.chunkId,
      version: i.version,
      hash: contentHash(i.content),
      embedding: vectorLiteral(i.vector, "{}"),
    })),
  );
  const written = await rows<{ id: string }>(
    tx,
    sql`update knowledge_chunks c
        set embedding = v.embedding::real[], embedding_model = ${modelId}
        from jsonb_to_recordset(${payload}::jsonb) as v(id uuid, version int, hash text, embedding text)
        where c.org_id = ${orgId} and c.id = v.id and c.version = v.version and md5(c.content) = v.hash
          and (c.embedding is null or c.embedding_model is distinct from ${modelId})
        returning c.id`,
  );
  return written.length;
}

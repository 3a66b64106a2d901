import type { Tx } from "@/db";

export type VectorRanking = {
  /** Best first; `distance` is cosine distance (0 = same direction). */
  ranked: { chunkId: string; distance: number }[];
  /** Why the ranking is partial (e.g. chunks still being embedded), for the UI. */
  note?: string;
};

/**
 * Ranks the scope's chunks by similarity to `queryText`'s embedding. Null when the organization
 * has no embedding model or no chunk has an embedding yet: search then runs on text alone.
 * PLACEHOLDER until the embeddings work lands (branch h-embed): no model is ever configured.
 */
export async function rankByVector(
  _tx: Tx,
  _args: { orgId: string; projectId: string | null; queryText: string; limit: number },
): Promise<VectorRanking | null> {
  return null;
}

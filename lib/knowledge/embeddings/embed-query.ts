import type { Tx } from "@/db";
import { embedTexts } from "./embed-texts";
import { resolveEmbeddingModel } from "./resolve-embedding-model";

/** A search query's embedding and the model it came from (only chunks from that model rank). */
export type QueryEmbedding = { modelId: string; vector: number[] };

/** A search waits this long for its query's embedding, then goes on without vectors. */
export const QUERY_EMBEDDING_TIMEOUT_MS = 10_000;

/**
 * Embeds a search query with the organization's current embedding model; null when it has none.
 * A network call: make it before opening the search's transaction. Throws `EmbeddingError` (a
 * readable reason) when the provider fails; search then ranks without vectors. `tx`: the
 * organization's transaction, when called inside one.
 */
export async function embedQuery(orgId: string, text: string, tx?: Tx): Promise<QueryEmbedding | null> {
  const model = await resolveEmbeddingModel(orgId, tx);
  if (!model || !text.trim()) return null;
  const [vector] = await embedTexts(model, [text.trim()], "query", {
    maxRetries: 1,
    abortSignal: AbortSignal.timeout(QUERY_EMBEDDING_TIMEOUT_MS),
  });
  return vector ? { modelId: model.id, vector } : null;
}

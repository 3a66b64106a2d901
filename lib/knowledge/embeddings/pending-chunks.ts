import { sql } from "drizzle-orm";

/**
 * The chunks of an organization that need an embedding from `modelId`: of the current version of a
 * ready document, with no embedding or one from another model (kept, but ignored by ranking, until
 * replaced). `c` and `d` are the chunk and document aliases of the query using it.
 */
export function pendingChunksWhere(orgId: string, modelId: string) {
  return sql`c.org_id = ${orgId}
    and d.org_id = ${orgId} and d.id = c.document_id and d.current_version = c.version and d.status = 'ready'
    and (c.embedding is null or c.embedding_model is distinct from ${modelId})`;
}

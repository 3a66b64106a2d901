import { and, desc, eq, sql } from "drizzle-orm";
import { withTenant } from "@/db";
import { auditLogs } from "@/db/schema";
import { rows } from "@/lib/engine/store";
import { EMBEDDING_FAILED_ACTION } from "./record-embedding-failure";
import { resolveEmbeddingModel } from "./resolve-embedding-model";

export type EmbeddingStatus = {
  /** `<provider kind>:<model id>`; null: no embedding model, search is full text and trigram only. */
  modelId: string | null;
  /** Searchable chunks (current version of ready documents) and how many carry this model's embedding. */
  total: number;
  embedded: number;
  /** The last permanent failure for this model, while chunks are still missing embeddings. */
  lastError: { reason: string; at: string } | null;
};

/** What the AI settings page says about knowledge embeddings. */
export async function getEmbeddingStatus(orgId: string): Promise<EmbeddingStatus> {
  const model = await resolveEmbeddingModel(orgId).catch(() => null);
  return withTenant({ orgId }, async (tx) => {
    const [counts] = await rows<{ total: number; embedded: number }>(
      tx,
      sql`select count(*)::int as total,
            count(*) filter (where c.embedding is not null and c.embedding_model = ${model?.id ?? null})::int as embedded
          from knowledge_chunks c
          join knowledge_documents d on d.id = c.document_id and d.current_version = c.version and d.status = 'ready'
          where c.org_id = ${orgId} and d.org_id = ${orgId}`,
    );
    const total = Number(counts?.total ?? 0);
    const embedded = Number(counts?.embedded ?? 0);
    let lastError: EmbeddingStatus["lastError"] = null;
    if (model && embedded < total) {
      const [failure] = await tx
        .select({ metadata: auditLogs.metadata, at: auditLogs.createdAt })
        .from(auditLogs)
        .where(
          and(
            eq(auditLogs.orgId, orgId),
            eq(auditLogs.action, EMBEDDING_FAILED_ACTION),
            sql`${auditLogs.metadata}->>'model' = ${model.id}`,
          ),
        )
        .orderBy(desc(auditLogs.createdAt))
        .limit(1);
      if (failure)
        lastError = { reason: String(failure.metadata.reason ?? ""), at: failure.at.toISOString() };
    }
    return { modelId: model?.id ?? null, total, embedded, lastError };
  });
}

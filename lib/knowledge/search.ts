import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { withTenant } from "@/db";
import { knowledgeChunks, knowledgeDocuments } from "@/db/schema";
import type { KnowledgeHit, KnowledgeScope, KnowledgeSearchResult } from "./types";

export type SearchInput = {
  query: string;
  limit?: number;
  /** Only these sources (e.g. insights). */
  sources?: KnowledgeHit["source"][];
};

/**
 * Searches the scope's knowledge: a project's own and its organization's documents, or only the
 * organization's when `projectId` is null. Never another organization's or project's.
 * FOUNDATION STUB: full text only; the hybrid search (trigram, vectors, fusion) replaces it.
 */
export async function searchKnowledge(
  scope: KnowledgeScope,
  input: SearchInput,
): Promise<KnowledgeSearchResult> {
  const limit = Math.min(Math.max(input.limit ?? 8, 1), 50);
  return withTenant({ orgId: scope.orgId, userId: scope.userId ?? null }, async (tx) => {
    const q = sql`websearch_to_tsquery('english', ${input.query})`;
    const rows = await tx
      .select({
        chunk: knowledgeChunks,
        title: knowledgeDocuments.title,
        source: knowledgeDocuments.source,
        runId: knowledgeDocuments.runId,
        agentSlug: knowledgeDocuments.agentSlug,
        rank: sql<number>`ts_rank_cd(${knowledgeChunks.tsv}, ${q})`,
      })
      .from(knowledgeChunks)
      .innerJoin(
        knowledgeDocuments,
        and(
          eq(knowledgeDocuments.id, knowledgeChunks.documentId),
          eq(knowledgeDocuments.currentVersion, knowledgeChunks.version),
        ),
      )
      .where(
        and(
          eq(knowledgeChunks.orgId, scope.orgId),
          scope.projectId
            ? or(isNull(knowledgeChunks.projectId), eq(knowledgeChunks.projectId, scope.projectId))
            : isNull(knowledgeChunks.projectId),
          sql`${knowledgeChunks.tsv} @@ ${q}`,
        ),
      )
      .orderBy(desc(sql`ts_rank_cd(${knowledgeChunks.tsv}, ${q})`))
      .limit(limit);
    const hits: KnowledgeHit[] = rows.map((r, i) => ({
      chunkId: r.chunk.id,
      documentId: r.chunk.documentId,
      title: r.title,
      source: r.source,
      projectId: r.chunk.projectId,
      version: r.chunk.version,
      ordinal: r.chunk.ordinal,
      heading: r.chunk.heading,
      content: r.chunk.content,
      snippet: r.chunk.content.slice(0, 300),
      startLine: r.chunk.startLine,
      endLine: r.chunk.endLine,
      page: r.chunk.page,
      score: 1 / (60 + i + 1),
      ranks: { text: i + 1 },
      citation: `${r.title}${r.chunk.heading ? ` › ${r.chunk.heading}` : ""}, lines ${r.chunk.startLine}–${r.chunk.endLine}`,
      runId: r.runId,
      agentSlug: r.agentSlug,
    }));
    return {
      hits,
      mode: "text",
      note: "No embedding model is configured: full-text and trigram search only.",
    };
  });
}

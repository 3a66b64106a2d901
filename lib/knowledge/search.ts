import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, getDb, type Tx, withTenant } from "@/db";
import { KNOWLEDGE_SOURCES } from "@/db/schema";
import { rows } from "@/lib/engine/store";
import { validationError } from "@/lib/errors";
import { citeChunk } from "./citation";
import { embedQuery, type QueryEmbedding } from "./embeddings/embed-query";
import { EmbeddingError } from "./embeddings/embed-texts";
import { type RankByVectorResult, rankByVector } from "./embeddings/rank-by-vector";
import { fuseRankings } from "./fuse";
import { DEFAULT_SEARCH_LIMIT, MAX_QUERY_CHARS, MAX_SEARCH_LIMIT } from "./limits";
import { CANDIDATES_PER_LIST, rankByText, searchableChunks } from "./rank-by-text";
import { highlightSnippet } from "./snippet";
import type { KnowledgeHit, KnowledgeScope, KnowledgeSearchResult } from "./types";

export const searchInputSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1, "Enter something to search for.")
    .max(MAX_QUERY_CHARS, `At most ${MAX_QUERY_CHARS} characters.`),
  limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).default(DEFAULT_SEARCH_LIMIT),
  /** Only these sources (e.g. insights). */
  sources: z.array(z.enum(KNOWLEDGE_SOURCES)).max(KNOWLEDGE_SOURCES.length).optional(),
});

export type SearchInput = z.input<typeof searchInputSchema>;

export const NO_VECTORS_NOTE =
  "No embedding model is configured for this organization; results use full-text and trigram search.";
const VECTORS_FAILED_NOTE =
  "Semantic search is unavailable right now; results use full-text and trigram search.";
const NOT_EMBEDDED_NOTE =
  "No document in scope is embedded with the current embedding model yet; results use full-text and trigram search.";

/**
 * Hybrid search of the scope's knowledge: a project's own and its organization's documents, or
 * only the organization's when `projectId` is null; never another organization's or project's,
 * only ready documents' current versions. Three bounded candidate lists (full text, trigram,
 * vectors when the organization has embeddings) fused by reciprocal rank (k = 60), each hit with
 * a highlighted snippet, its citation and its rank in each list.
 */
export async function searchKnowledge(
  scope: KnowledgeScope,
  input: SearchInput,
): Promise<KnowledgeSearchResult> {
  const parsed = searchInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { query, limit, sources } = parsed.data;
  const tenant = { orgId: scope.orgId, userId: scope.userId ?? null };
  // Embedding the query is a call to the organization's provider (bounded by its timeout): it
  // runs outside any transaction, while the text lists are ranked.
  const embedding = queryEmbedding(scope.orgId, query);
  // The candidate lists are ranked on the owner connection: under row-level security Postgres
  // may not use an index for an operator that is not LEAKPROOF, and `@@` and `<%` are not, so
  // as the app role both lists were sequential scans (5x slower at 10k chunks). The ranking
  // filters by organization and scope itself (tested without RLS), returns only ids, and every
  // hit is then read as the app role under RLS, so nothing reaches the caller unchecked.
  const owner = await getDb();
  const lists = await owner.transaction((tx) =>
    rankByText(tx, { orgId: scope.orgId, projectId: scope.projectId, query, sources }),
  );
  const embedded = await embedding;
  return withTenant(tenant, async (tx) => {
    const v = await vectorRanking(tx, scope, query, embedded);
    // The vector list comes from another module: only ids searchable here take part.
    const vectorIds = v.ranking
      ? await searchableIds(
          tx,
          scope,
          sources,
          v.ranking.ranked.map((r) => r.chunkId),
        )
      : [];
    const fused = fuseRankings({
      text: lists.text,
      trigram: lists.trigram,
      ...(v.ranking ? { vector: vectorIds } : {}),
    }).slice(0, limit);
    const hits = await readHits(tx, scope, fused, query);
    return v.ranking
      ? { hits, mode: "hybrid" as const, ...(v.ranking.note ? { note: v.ranking.note } : {}) }
      : { hits, mode: "text" as const, note: v.note };
  });
}

async function queryEmbedding(
  orgId: string,
  text: string,
): Promise<{ query: QueryEmbedding | null; note: string }> {
  try {
    return { query: await embedQuery(orgId, text), note: NO_VECTORS_NOTE };
  } catch (error) {
    if (error instanceof EmbeddingError) {
      return {
        query: null,
        note: `Semantic search was skipped (${error.message}); results use full-text and trigram search.`,
      };
    }
    console.error("[knowledge] query embedding failed", error);
    return { query: null, note: VECTORS_FAILED_NOTE };
  }
}

async function vectorRanking(
  tx: Tx,
  scope: KnowledgeScope,
  queryText: string,
  embedded: { query: QueryEmbedding | null; note: string },
): Promise<{ ranking: RankByVectorResult | null; note: string }> {
  if (!embedded.query) return { ranking: null, note: embedded.note };
  const query = embedded.query;
  try {
    // In a savepoint: a failed vector statement must not abort the search's transaction.
    const ranking = await tx.transaction((inner) =>
      rankByVector(inner, {
        orgId: scope.orgId,
        projectId: scope.projectId,
        queryText,
        limit: CANDIDATES_PER_LIST,
        query,
      }),
    );
    return { ranking, note: ranking ? "" : NOT_EMBEDDED_NOTE };
  } catch (error) {
    console.error("[knowledge] vector ranking failed", error);
    return { ranking: null, note: VECTORS_FAILED_NOTE };
  }
}

async function searchableIds(
  ex: Executor,
  scope: KnowledgeScope,
  sources: KnowledgeHit["source"][] | undefined,
  ids: string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const { join, where } = searchableChunks({ orgId: scope.orgId, projectId: scope.projectId, sources });
  const found = await rows<{ id: string }>(
    ex,
    sql`select c.id::text as id from knowledge_chunks c ${join}
      where ${where} and c.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`,
  );
  const ok = new Set(found.map((r) => r.id));
  return ids.filter((id) => ok.has(id));
}

type HitRow = {
  id: string;
  document_id: string;
  title: string;
  source: KnowledgeHit["source"];
  project_id: string | null;
  version: number;
  ordinal: number;
  heading: string;
  content: string;
  start_line: number;
  end_line: number;
  page: number | null;
  run_id: string | null;
  agent_slug: string | null;
};

async function readHits(
  ex: Executor,
  scope: KnowledgeScope,
  fused: ReturnType<typeof fuseRankings>,
  query: string,
): Promise<KnowledgeHit[]> {
  if (fused.length === 0) return [];
  const { join, where } = searchableChunks({ orgId: scope.orgId, projectId: scope.projectId });
  const found = await rows<HitRow>(
    ex,
    sql`select c.id::text as id, c.document_id::text as document_id, d.title, d.source,
        c.project_id::text as project_id, c.version, c.ordinal, c.heading, c.content,
        c.start_line, c.end_line, c.page, d.run_id::text as run_id, d.agent_slug
      from knowledge_chunks c ${join}
      where ${where} and c.id in (select jsonb_array_elements_text(${JSON.stringify(fused.map((f) => f.id))}::jsonb)::uuid)`,
  );
  const byId = new Map(found.map((r) => [r.id, r]));
  return fused.flatMap((f) => {
    const r = byId.get(f.id);
    if (!r) return [];
    const chunk = {
      title: r.title,
      heading: r.heading,
      startLine: Number(r.start_line),
      endLine: Number(r.end_line),
      page: r.page === null ? null : Number(r.page),
      version: Number(r.version),
    };
    return [
      {
        chunkId: r.id,
        documentId: r.document_id,
        title: r.title,
        source: r.source,
        projectId: r.project_id,
        version: chunk.version,
        ordinal: Number(r.ordinal),
        heading: r.heading,
        content: r.content,
        snippet: highlightSnippet(r.content, query),
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        page: chunk.page,
        score: f.score,
        ranks: f.ranks,
        citation: citeChunk(chunk),
        runId: r.run_id,
        agentSlug: r.agent_slug,
      },
    ];
  });
}

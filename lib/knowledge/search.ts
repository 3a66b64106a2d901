import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, withTenant } from "@/db";
import { KNOWLEDGE_SOURCES } from "@/db/schema";
import { rows } from "@/lib/engine/store";
import { validationError } from "@/lib/errors";
import { citeChunk } from "./citation";
import { rankByVector, type VectorRanking } from "./embeddings/rank-by-vector";
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

/**
 * How long search waits for the vector ranking (embedding the query is a call to the
 * organization's provider) before answering from text alone. It runs in its own transaction, in
 * parallel with the text lists, so a slow provider never holds the text search's transaction.
 */
export const VECTOR_TIMEOUT_MS = 5_000;

export const NO_VECTORS_NOTE =
  "No embedding model is configured for this organization; results use full-text and trigram search.";
const VECTORS_FAILED_NOTE =
  "Semantic search is unavailable right now; results use full-text and trigram search.";
const VECTORS_SLOW_NOTE = "Semantic search did not answer in time; results use full-text and trigram search.";

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
  const vector = vectorRanking(scope, query);
  const lists = await withTenant(tenant, (tx) =>
    rankByText(tx, { orgId: scope.orgId, projectId: scope.projectId, query, sources }),
  );
  const v = await vector;
  return withTenant(tenant, async (tx) => {
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

async function vectorRanking(
  scope: KnowledgeScope,
  queryText: string,
): Promise<{ ranking: VectorRanking | null; note: string }> {
  let timer: NodeJS.Timeout | undefined;
  const ranked = withTenant({ orgId: scope.orgId, userId: scope.userId ?? null }, (tx) =>
    rankByVector(tx, {
      orgId: scope.orgId,
      projectId: scope.projectId,
      queryText,
      limit: CANDIDATES_PER_LIST,
    }),
  ).then(
    (ranking) => ({ ranking, note: NO_VECTORS_NOTE }),
    (error: unknown) => {
      console.error("[knowledge] vector ranking failed", error);
      return { ranking: null, note: VECTORS_FAILED_NOTE };
    },
  );
  const late = new Promise<{ ranking: null; note: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ranking: null, note: VECTORS_SLOW_NOTE }), VECTOR_TIMEOUT_MS);
  });
  try {
    return await Promise.race([ranked, late]);
  } finally {
    clearTimeout(timer);
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

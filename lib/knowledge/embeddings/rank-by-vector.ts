import { type SQL, sql } from "drizzle-orm";
import { type Executor, getDb, type Tx } from "@/db";
import { rows } from "@/lib/engine/store";
import { embedQuery, type QueryEmbedding } from "./embed-query";
import { EmbeddingError } from "./embed-texts";
import { dimensionsSql } from "./ensure-vector-index";
import { vectorLiteral } from "./normalize-vector";
import { type VectorSupport, vectorSupport } from "./vector-support";

export type RankByVectorInput = {
  orgId: string;
  /** Null: the organization's own knowledge only; a project: its own and the organization's. */
  projectId: string | null;
  queryText: string;
  limit: number;
  /** The query's embedding, computed before the transaction (`embedQuery`); else it is computed here. */
  query?: QueryEmbedding | null;
  /** The owner handle of the database `tx` belongs to, for the pgvector check (default: the app's). */
  db?: Executor;
};

export type RankByVectorResult = { ranked: { chunkId: string; distance: number }[]; note?: string };

/**
 * The scope's chunks nearest to the query by cosine distance (0 = same direction, 2 = opposite),
 * counting only chunks of the current version of ready documents embedded by the query's model.
 * Null when the organization has no embedding model or nothing in scope is embedded by it yet.
 *
 * With pgvector the distance is `embedding::vector(n) <=> query`, the expression (and the
 * `array_length = n` predicate) of the per-dimension HNSW index, so the index serves the ORDER BY;
 * pgvector 0.8+ scans it iteratively so the tenant and scope filters still fill the limit.
 *
 * Without pgvector the dot product of the unit vectors is computed in SQL over `real[]`, after the
 * org and scope filters: an exact scan of every embedded chunk in scope, ~linear in their number
 * (bench/knowledge-vectors.ts measures it; fine to tens of thousands of chunks per scope).
 */
export async function rankByVector(tx: Tx, input: RankByVectorInput): Promise<RankByVectorResult | null> {
  let query: QueryEmbedding | null;
  try {
    query = input.query !== undefined ? input.query : await embedQuery(input.orgId, input.queryText, tx);
  } catch (error) {
    if (!(error instanceof EmbeddingError)) throw error;
    return { ranked: [], note: `Vector ranking was skipped: ${error.message}` };
  }
  if (!query || query.vector.length === 0) return null;
  const limit = Math.min(Math.max(Math.trunc(input.limit) || 1, 1), 200);
  const support = await vectorSupport(input.db ?? (await getDb()));

  const { setup, ranking } = vectorRankingQuery({ ...input, limit }, query, support);
  if (setup) await tx.execute(setup);
  const ranked = await rows<{ chunkId: string; distance: number }>(tx, ranking);
  if (ranked.length === 0) return null;
  return { ranked: ranked.map((r) => ({ chunkId: r.chunkId, distance: Number(r.distance) })) };
}

/**
 * The SQL `rankByVector` runs (exported so tests can EXPLAIN it): `setup` tunes the HNSW scan for
 * this transaction, `ranking` returns `{ chunkId, distance }` nearest first.
 */
export function vectorRankingQuery(
  input: { orgId: string; projectId: string | null; limit: number },
  query: QueryEmbedding,
  support: VectorSupport,
): { setup: SQL | null; ranking: SQL } {
  const n = sql.raw(dimensionsSql(query.vector.length));
  const scope: SQL = input.projectId
    ? sql`(c.project_id is null or c.project_id = ${input.projectId})`
    : sql`c.project_id is null`;
  const where = sql`c.org_id = ${input.orgId} and ${scope}
    and c.embedding_model = ${query.modelId} and array_length(c.embedding, 1) = ${n}
    and d.org_id = ${input.orgId} and d.id = c.document_id and d.current_version = c.version and d.status = 'ready'`;

  if (!support.pgvector) {
    const q = sql`${vectorLiteral(query.vector, "{}")}::real[]`;
    return {
      setup: null,
      ranking: sql`select c.id as "chunkId",
            1 - (select sum(a::float8 * b) from unnest(c.embedding, ${q}) as t(a, b)) as distance
          from knowledge_chunks c, knowledge_documents d
          where ${where}
          order by distance, c.id limit ${input.limit}`,
    };
  }
  const q = sql`${vectorLiteral(query.vector, "[]")}::vector(${n})`;
  const distance = sql`(c.embedding::vector(${n})) <=> ${q}`;
  const efSearch = String(Math.max(40, input.limit));
  return {
    setup: support.iterativeScan
      ? sql`select set_config('hnsw.ef_search', ${efSearch}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`
      : sql`select set_config('hnsw.ef_search', ${efSearch}, true)`,
    // relaxed_order may return near-ties slightly out of order: sorted again outside.
    ranking: sql`select * from (
            select c.id as "chunkId", ${distance} as distance
            from knowledge_chunks c, knowledge_documents d
            where ${where}
            order by ${distance} limit ${input.limit}
          ) nearest order by distance, "chunkId"`,
  };
}

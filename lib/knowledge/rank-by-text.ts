import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { KnowledgeSource } from "@/db/schema";
import { rows } from "@/lib/engine/store";
import { queryTerms } from "./query-terms";

/** Candidates each list contributes to the fusion: enough for a page of results, bounded per query. */
export const CANDIDATES_PER_LIST = 50;
/**
 * `<%` keeps a chunk when some stretch of it shares this share of the query words' trigrams.
 * 0.4 admits one or two typos in a short phrase ("rollbak deploymnet" scores 0.43 against a
 * passage on rolling back a failed deployment, "retry_backof" 0.92 against `retry_backoff_ms`);
 * chosen on the fixture corpus (search-quality test), where 0.5 lost typo queries.
 */
export const TRIGRAM_THRESHOLD = 0.4;
/** Matches scored at most per list beyond the whole-query ones (see `textRankSql`). */
export const FTS_POOL = 1_000;
export const TRIGRAM_POOL = 200;
/** Query words the trigram list matches (the longest ones). */
export const MAX_TRIGRAM_TERMS = 4;

export type TextRankArgs = {
  orgId: string;
  /** Null: the organization's own chunks only; else the project's and the organization's. */
  projectId: string | null;
  query: string;
  sources?: KnowledgeSource[];
  limit?: number;
};

/**
 * The chunks searchable in a scope, as SQL conditions on `c` (chunks) joined to `d` (documents):
 * the organization's (filtered here, not left to RLS), in the scope, of a ready document, and of
 * its current version (a stale version's chunks are never found, even before they are deleted).
 */
export function searchableChunks(args: Pick<TextRankArgs, "orgId" | "projectId" | "sources">): {
  join: SQL;
  where: SQL;
} {
  const sources =
    args.sources && args.sources.length > 0
      ? sql` and d.source in (${sql.join(
          args.sources.map((s) => sql`${s}`),
          sql`, `,
        )})`
      : sql``;
  return {
    join: sql`join knowledge_documents d on d.id = c.document_id and d.org_id = c.org_id and d.current_version = c.version and d.status = 'ready'`,
    where: sql`c.org_id = ${args.orgId} and d.org_id = ${args.orgId} and ${
      args.projectId
        ? sql`(c.project_id is null or c.project_id = ${args.projectId})`
        : sql`c.project_id is null`
    }${sources}`,
  };
}

/**
 * Two ranked candidate lists for a query, each at most `limit` chunk ids, best first:
 * - `text`: Postgres full text (english stemming; the heading weighs A in `tsv`). A chunk that
 *   satisfies the whole `websearch_to_tsquery` comes first; below it, chunks matching any query
 *   word or a word it begins (`deploy` → `deployment`), so a natural-language question whose
 *   every word no single passage holds still finds passages. Ranked by `ts_rank_cd`.
 * - `trigram`: `pg_trgm` word similarity of the query's words against the content, through the
 *   GIN trigram index: typos and partial identifiers the full text misses.
 * Ties break on the chunk id, so a query always ranks the same way.
 */
export async function rankByText(
  ex: Executor,
  args: TextRankArgs,
): Promise<{ text: string[]; trigram: string[] }> {
  await ex.execute(
    sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TRIGRAM_THRESHOLD)}, true)`,
  );
  const found = await rows<{ list: "text" | "trigram"; id: string }>(ex, textRankSql(args));
  return {
    text: found.filter((r) => r.list === "text").map((r) => r.id),
    trigram: found.filter((r) => r.list === "trigram").map((r) => r.id),
  };
}

/**
 * The one statement behind `rankByText` (exported so the benchmark can EXPLAIN it). Run it after
 * setting `pg_trgm.word_similarity_threshold`, which `<%` reads.
 */
export function textRankSql(args: TextRankArgs): SQL {
  const limit = args.limit ?? CANDIDATES_PER_LIST;
  const terms = queryTerms(args.query);
  const { join, where } = searchableChunks(args);
  const strict = sql`websearch_to_tsquery('english', ${args.query})`;
  const anyWord =
    terms.length > 0
      ? sql.join(
          terms.map((t) => sql`to_tsquery('english', ${t.length >= 3 ? `${t}:*` : t})`),
          sql` || `,
        )
      : strict;
  // Each word on its own: a stretch of text rarely holds a whole multi-word query, but each
  // word (or its typo) appears somewhere. The longest words carry the most trigrams and meaning.
  const trigramTerms = (terms.length > 0 ? terms : [args.query])
    .filter((t) => t.length >= 4)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .slice(0, MAX_TRIGRAM_TERMS);
  if (trigramTerms.length === 0) trigramTerms.push(args.query);
  const trigramMatch = sql.join(
    trigramTerms.map((t) => sql`${t} <% c.content`),
    sql` or `,
  );
  const trigramScore = sql.join(
    trigramTerms.map((t) => sql`word_similarity(${t}, p.content)`),
    sql` + `,
  );
  // Ranking by full text scores every match (Postgres FTS has no top-k index): the whole-query
  // matches are few for a multi-word query; the any-word matches of a common word can be most of
  // the corpus, so only the first FTS_POOL of them are scored. The trigram list has the same
  // bound: `<%` is rechecked row by row, so at most TRIGRAM_POOL matches are scored.
  // The tsqueries are written inline (not in a CTE) so the planner folds them to constants and
  // can use the GIN index on `tsv`.
  return sql`with whole as (
        select c.id, true as whole, ts_rank_cd(c.tsv, ${strict}) as rank
        from knowledge_chunks c ${join}
        where ${where} and c.tsv @@ ${strict}
        order by rank desc, c.id
        limit ${limit}
      ),
      partial as (
        select p.id, false as whole, ts_rank_cd(p.tsv, ${anyWord}) as rank
        from (
          select c.id, c.tsv from knowledge_chunks c ${join}
          where ${where} and c.tsv @@ (${anyWord}) and not (c.tsv @@ ${strict})
          limit ${FTS_POOL}
        ) p
        order by rank desc, p.id
        limit ${limit}
      ),
      fts as (
        select * from whole union all select * from partial
        order by whole desc, rank desc, id
        limit ${limit}
      ),
      trg as (
        select p.id, (${trigramScore}) as rank
        from (
          select c.id, c.content from knowledge_chunks c ${join}
          where ${where} and (${trigramMatch})
          limit ${TRIGRAM_POOL}
        ) p
        order by rank desc, p.id
        limit ${limit}
      )
      select 'text' as list, id::text as id, row_number() over (order by whole desc, rank desc, id) as n from fts
      union all
      select 'trigram' as list, id::text as id, row_number() over (order by rank desc, id) as n from trg
      order by list, n`;
}

import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { KnowledgeSource } from "@/db/schema";
import { rows } from "@/lib/engine/store";
import { queryTerms } from "./query-terms";

/** Candidates each list contributes to the fusion: enough for a page of results, bounded per query. */
export const CANDIDATES_PER_LIST = 50;
/**
 * `<%` keeps a chunk when some stretch of it shares this share of the query's trigrams. 0.5
 * catches one typo in a long word or two in a phrase ("rollbak deploymnet" scores 0.43 against
 * a passage on rollbacks, "retry_backof" 0.92 against `retry_backoff_ms`) without admitting
 * passages that merely share a few letters. Measured on the fixture corpus (search-quality test).
 */
export const TRIGRAM_THRESHOLD = 0.4;

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
  const trigramText = terms.length > 0 ? terms.join(" ") : args.query;
  await ex.execute(
    sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TRIGRAM_THRESHOLD)}, true)`,
  );
  const found = await rows<{ list: "text" | "trigram"; id: string }>(
    ex,
    sql`with q as (select ${strict} as strict, (${anyWord}) as any_word),
      fts as (
        select c.id, (c.tsv @@ q.strict) as whole, ts_rank_cd(c.tsv, q.any_word) as rank
        from knowledge_chunks c ${join}, q
        where ${where} and (c.tsv @@ q.strict or c.tsv @@ q.any_word)
        order by whole desc, rank desc, c.id
        limit ${limit}
      ),
      trg as (
        select c.id, word_similarity(${trigramText}, c.content) as rank
        from knowledge_chunks c ${join}
        where ${where} and ${trigramText} <% c.content
        order by rank desc, c.id
        limit ${limit}
      )
      select 'text' as list, id::text as id, row_number() over (order by whole desc, rank desc, id) as n from fts
      union all
      select 'trigram' as list, id::text as id, row_number() over (order by rank desc, id) as n from trg
      order by list, n`,
  );
  return {
    text: found.filter((r) => r.list === "text").map((r) => r.id),
    trigram: found.filter((r) => r.list === "trigram").map((r) => r.id),
  };
}

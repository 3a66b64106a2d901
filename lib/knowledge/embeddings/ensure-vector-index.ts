import { sql } from "drizzle-orm";
import { type Db, getDb } from "@/db";
import { rows } from "@/lib/engine/store";
import { hasPgvector } from "./vector-support";

/** pgvector's HNSW index takes `vector` columns of at most 2,000 dimensions. */
export const HNSW_MAX_DIMENSIONS = 2_000;

/**
 * The dimension counts that get an HNSW index: those of the common embedding models (MiniLM 384,
 * nomic/BGE-base 768, BGE-large/Cohere 1024, OpenAI text-embedding-3-small and ada-002 1536, and
 * the shortened 256/512 variants). The table is shared by every organization and the count comes
 * from a server an org admin chooses, so an arbitrary count must not make this server build (and
 * keep) another index: any other count ranks by an exact scan of the scope's chunks, which is
 * correct, only slower on very large knowledge bases.
 */
export const INDEXED_DIMENSIONS: readonly number[] = [256, 384, 512, 768, 1024, 1536];

const created = new WeakMap<object, Set<number>>();

/** A dimension count as SQL text: only an integer this code checked ever reaches `sql.raw`. */
export function dimensionsSql(dims: number): string {
  if (!Number.isInteger(dims) || dims < 1 || dims > 16_000)
    throw new RangeError(`Invalid vector dimension ${dims}`);
  return String(dims);
}

/** The index's validity, or null when there is none (an interrupted concurrent build leaves an invalid one). */
async function indexValidity(owner: Db, name: string): Promise<boolean | null> {
  const [row] = await rows<{ valid: boolean }>(
    owner,
    sql`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
        where c.relname = ${name} and c.relnamespace = current_schema()::regnamespace`,
  );
  return row ? Boolean(row.valid) : null;
}

/**
 * Creates, once, the HNSW index that serves vector ranking for embeddings of `dims` dimensions:
 * over the expression `embedding::vector(dims)`, partial on that length, so each model's vectors
 * get their own index and rank-by-vector's `ORDER BY` matches it. Only counts in `allowed`
 * (INDEXED_DIMENSIONS) get one. Built with `CREATE INDEX CONCURRENTLY`, so other tenants' chunk
 * writes are not blocked while it builds; that cannot run in a transaction, so it runs on the
 * owner connection (which also may create indexes, unlike the app role). An invalid index left by
 * an interrupted build is dropped and built again; one still being built by another process is
 * left alone and checked again on the next batch. False when there is no pgvector or `dims` gets
 * no index (ranking then scans exactly).
 */
export async function ensureVectorIndex(
  dims: number,
  db?: Db,
  allowed: readonly number[] = INDEXED_DIMENSIONS,
): Promise<boolean> {
  const owner = db ?? (await getDb());
  const n = dimensionsSql(dims);
  if (dims > HNSW_MAX_DIMENSIONS || !allowed.includes(dims) || !(await hasPgvector(owner))) return false;
  const done = created.get(owner) ?? new Set<number>();
  created.set(owner, done);
  if (done.has(dims)) return true;
  const name = `knowledge_chunks_hnsw_${n}`;
  if ((await indexValidity(owner, name)) === false) {
    // Left INVALID by an interrupted concurrent build (or another process is building it now:
    // the drop then waits for that build, and the index is built once more below).
    await owner.execute(sql.raw(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`));
  }
  try {
    await owner.execute(
      sql.raw(
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON knowledge_chunks USING hnsw ((embedding::vector(${n})) vector_cosine_ops) WHERE array_length(embedding, 1) = ${n}`,
      ),
    );
  } catch (error) {
    // Two processes creating it at once: the loser sees a duplicate name; the index exists.
    if (!/already exists|duplicate key/i.test(String((error as Error).message))) throw error;
  }
  // IF NOT EXISTS also skips an index another process is still building: remember only a valid one.
  if ((await indexValidity(owner, name)) !== true) return false;
  done.add(dims);
  return true;
}

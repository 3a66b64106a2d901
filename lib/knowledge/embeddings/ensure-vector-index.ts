import { sql } from "drizzle-orm";
import { type Db, getDb } from "@/db";
import { hasPgvector } from "./vector-support";

/** pgvector's HNSW index takes `vector` columns of at most 2,000 dimensions. */
export const HNSW_MAX_DIMENSIONS = 2_000;

const created = new WeakMap<object, Set<number>>();

/** A dimension count as SQL text: only an integer this code checked ever reaches `sql.raw`. */
export function dimensionsSql(dims: number): string {
  if (!Number.isInteger(dims) || dims < 1 || dims > 16_000)
    throw new RangeError(`Invalid vector dimension ${dims}`);
  return String(dims);
}

/**
 * Creates, once, the HNSW index that serves vector ranking for embeddings of `dims` dimensions:
 * over the expression `embedding::vector(dims)`, partial on that length, so each model's vectors
 * get their own index and rank-by-vector's `ORDER BY` matches it. Runs on the owner connection
 * (the app role may not create indexes). False when there is no pgvector or `dims` is above the
 * HNSW limit (ranking then scans exactly).
 */
export async function ensureVectorIndex(dims: number, db?: Db): Promise<boolean> {
  const owner = db ?? (await getDb());
  const n = dimensionsSql(dims);
  if (dims > HNSW_MAX_DIMENSIONS || !(await hasPgvector(owner))) return false;
  const done = created.get(owner) ?? new Set<number>();
  created.set(owner, done);
  if (done.has(dims)) return true;
  const statement = sql.raw(
    `CREATE INDEX IF NOT EXISTS knowledge_chunks_hnsw_${n} ON knowledge_chunks USING hnsw ((embedding::vector(${n})) vector_cosine_ops) WHERE array_length(embedding, 1) = ${n}`,
  );
  try {
    await owner.execute(statement);
  } catch (error) {
    // Two processes creating it at once: the loser sees a duplicate name; the index exists.
    if (!/already exists|duplicate key/i.test(String((error as Error).message))) throw error;
  }
  done.add(dims);
  return true;
}

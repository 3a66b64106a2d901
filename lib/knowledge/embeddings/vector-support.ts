import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { rows } from "@/lib/engine/store";

export type VectorSupport = { pgvector: false } | { pgvector: true; version: string; iterativeScan: boolean };

const cache = new WeakMap<object, Promise<VectorSupport>>();

/**
 * Whether the database has pgvector (`vector`, created by migration 0009 where it was available),
 * and whether it scans HNSW indexes iteratively (0.8+: filtered queries still fill their limit).
 * Asked once per database handle: the answer changes only with a migration and a restart.
 */
export function vectorSupport(db: Executor): Promise<VectorSupport> {
  let known = cache.get(db);
  if (!known) {
    known = rows<{ version: string }>(
      db,
      sql`select extversion as version from pg_extension where extname = 'vector'`,
    ).then(([row]): VectorSupport => {
      if (!row) return { pgvector: false };
      const [major = 0, minor = 0] = row.version.split(".").map(Number);
      return { pgvector: true, version: row.version, iterativeScan: major > 0 || minor >= 8 };
    });
    known.catch(() => cache.delete(db));
    cache.set(db, known);
  }
  return known;
}

export async function hasPgvector(db: Executor): Promise<boolean> {
  return (await vectorSupport(db)).pgvector;
}

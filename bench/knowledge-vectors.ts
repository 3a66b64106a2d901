/**
 * Vector ranking figures (npm run bench:knowledge-vectors): p50 / p95 of `rankByVector` (top 20)
 * over N embedded chunks in one organization (another organization holds as many, filtered out),
 * on in-memory PGlite with pgvector (HNSW index) and without it (the SQL fallback over real[]),
 * and on Postgres when DATABASE_URL is set (no pgvector there: the fallback).
 *   BENCH_CHUNKS (default 10000), BENCH_DIMS (default 768: nomic-embed-text, Gemini at 768),
 *   BENCH_PGVECTOR=off skips the PGlite pgvector run.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { vector } from "@electric-sql/pglite-pgvector";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { type Db, migrationsFolder, schema, type Tx } from "../db";
import { knowledgeChunks, knowledgeDocuments, organizations } from "../db/schema";
import { ensureVectorIndex } from "../lib/knowledge/embeddings/ensure-vector-index";
import { normalizeVector } from "../lib/knowledge/embeddings/normalize-vector";
import { rankByVector } from "../lib/knowledge/embeddings/rank-by-vector";
import { vectorSupport } from "../lib/knowledge/embeddings/vector-support";

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10_000);
const DIMS = Number(process.env.BENCH_DIMS ?? 768);
const QUERIES = 30;
const MODEL = `bench:${DIMS}`;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);
const randomVector = () => normalizeVector(Array.from({ length: DIMS }, () => random() - 0.5));

async function seed(db: Db): Promise<string> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const orgs = await db
    .insert(organizations)
    .values([
      { name: "Bench A", slug: `bench-a-${suffix}` },
      { name: "Bench B", slug: `bench-b-${suffix}` },
    ])
    .returning();
  for (const org of orgs) {
    const [doc] = await db
      .insert(knowledgeDocuments)
      .values({ orgId: org.id, source: "upload", title: "Bench", status: "ready", chunkCount: CHUNKS })
      .returning();
    if (!doc) throw new Error("no document");
    for (let i = 0; i < CHUNKS; i += 250) {
      await db.insert(knowledgeChunks).values(
        Array.from({ length: Math.min(250, CHUNKS - i) }, (_, j) => ({
          orgId: org.id,
          documentId: doc.id,
          version: 1,
          ordinal: i + j,
          content: `passage ${i + j}`,
          startOffset: 0,
          endOffset: 1,
          startLine: 1,
          endLine: 1,
          embedding: randomVector(),
          embeddingModel: MODEL,
        })),
      );
    }
  }
  await db.execute(sql`analyze knowledge_chunks`);
  return orgs[0]?.id ?? "";
}

const asTenant = <T>(db: Db, orgId: string, fn: (tx: Tx) => Promise<T>) =>
  db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.org_id', ${orgId}, true), set_config('role', 'dm_app', true)`,
    );
    return fn(tx);
  });

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function measure(label: string, db: Db) {
  const started = performance.now();
  const orgId = await seed(db);
  const seeded = performance.now() - started;
  const support = await vectorSupport(db);
  let indexMs = 0;
  if (support.pgvector) {
    const t = performance.now();
    await ensureVectorIndex(DIMS, db, [DIMS]);
    indexMs = performance.now() - t;
  }
  const times: number[] = [];
  for (let i = 0; i < QUERIES + 3; i++) {
    const query = { modelId: MODEL, vector: randomVector() };
    const t = performance.now();
    const result = await asTenant(db, orgId, (tx) =>
      rankByVector(tx, { orgId, projectId: null, queryText: "", limit: 20, query, db }),
    );
    if ((result?.ranked.length ?? 0) !== 20) throw new Error(`${label}: expected 20 results`);
    if (i >= 3) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const path = support.pgvector ? `pgvector ${support.version} + HNSW` : "SQL fallback (real[])";
  console.log(
    `${label.padEnd(34)} ${path.padEnd(24)} ${CHUNKS} chunks × ${DIMS} dims (+${CHUNKS} in another org): ` +
      `p50 ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms` +
      `${indexMs ? `, index build ${(indexMs / 1000).toFixed(1)} s` : ""} (seeded in ${(seeded / 1000).toFixed(1)} s)`,
  );
}

async function pglite(withVector: boolean) {
  const client = new PGlite({ extensions: withVector ? { pg_trgm, vector } : { pg_trgm } });
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  await measure(`PGlite ${withVector ? "with" : "without"} pgvector`, db as unknown as Db);
  await client.close();
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(url, { max: 2, onnotice: () => {} });
    const db = drizzle(client, { schema }) as unknown as Db;
    try {
      await measure("Postgres (DATABASE_URL)", db);
    } finally {
      await db.execute(sql`delete from organizations where slug like 'bench-%'`);
      await client.end();
    }
  }
  await pglite(false);
  // The HNSW build in PGlite (WebAssembly, one thread) takes minutes at 10,000 × 768.
  if (process.env.BENCH_PGVECTOR !== "off") await pglite(true);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { vector } from "@electric-sql/pglite-pgvector";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, migrationsFolder, schema, type Tx } from "@/db";
import { knowledgeChunks, knowledgeDocuments, organizations } from "@/db/schema";
import { rows } from "@/lib/engine/store";
import { ensureVectorIndex, INDEXED_DIMENSIONS } from "./ensure-vector-index";
import { normalizeVector } from "./normalize-vector";
import { rankByVector, vectorRankingQuery } from "./rank-by-vector";
import { vectorSupport } from "./vector-support";

/**
 * Both storage paths on dedicated in-memory PGlite databases, whatever DATABASE_URL is: one with
 * pgvector (HNSW index, `<=>`), one without (the dot product in SQL over real[]). Same fixture,
 * same answers; the HNSW index is created on demand and used; another org's vectors never rank.
 */

const DIMS = 16;
const MODEL = "openai-compatible:fixture-16";
const PER_ORG = 1_500;

/** A deterministic pseudo-random unit vector. */
function randomVector(seed: number): number[] {
  let x = seed * 2654435761;
  return normalizeVector(
    Array.from({ length: DIMS }, () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31 - 0.5;
    }),
  );
}
const axis = (i: number, noise = 0) =>
  normalizeVector(Array.from({ length: DIMS }, (_, k) => (k === i ? 1 : noise * Math.sin(k + i))));

type Fixture = {
  db: Db;
  close: () => Promise<void>;
  orgA: string;
  orgB: string;
  targetA: string;
  targetB: string;
};

async function openFixture(withVector: boolean): Promise<Fixture> {
  const client = new PGlite({ extensions: withVector ? { pg_trgm, vector } : { pg_trgm } });
  const db = drizzle(client, { schema }) as unknown as Db;
  await migrate(drizzle(client, { schema }), { migrationsFolder });
  const [a, b] = await db
    .insert(organizations)
    .values([
      { name: "A", slug: "org-a" },
      { name: "B", slug: "org-b" },
    ])
    .returning();
  if (!a || !b) throw new Error("orgs not created");
  const targets: string[] = [];
  for (const [o, org] of [a, b].entries()) {
    const [doc] = await db
      .insert(knowledgeDocuments)
      .values({
        orgId: org.id,
        source: "upload",
        title: `Doc ${org.name}`,
        status: "ready",
        chunkCount: PER_ORG,
      })
      .returning();
    if (!doc) throw new Error("doc not created");
    for (let i = 0; i < PER_ORG; i += 500) {
      const inserted = await db
        .insert(knowledgeChunks)
        .values(
          Array.from({ length: Math.min(500, PER_ORG - i) }, (_, j) => {
            const ordinal = i + j;
            // Chunk 0 points along axis 0: A's slightly off it, B's exactly on it (nearer to the query).
            const embedding =
              ordinal === 0 ? axis(0, o === 0 ? 0.05 : 0) : randomVector(o * 100_000 + ordinal + 1);
            return {
              orgId: org.id,
              documentId: doc.id,
              version: 1,
              ordinal,
              content: `passage ${ordinal}`,
              startOffset: 0,
              endOffset: 1,
              startLine: 1,
              endLine: 1,
              embedding,
              embeddingModel: MODEL,
            };
          }),
        )
        .returning({ id: knowledgeChunks.id, ordinal: knowledgeChunks.ordinal });
      const target = inserted.find((r) => r.ordinal === 0);
      if (target) targets.push(target.id);
    }
  }
  await db.execute(sql`analyze knowledge_chunks`);
  return {
    db,
    close: () => client.close(),
    orgA: a.id,
    orgB: b.id,
    targetA: targets[0] ?? "",
    targetB: targets[1] ?? "",
  };
}

/** The app's tenant transaction (withTenant), on the fixture's database. */
function asTenant<T>(db: Db, orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.org_id', ${orgId}, true), set_config('role', 'dm_app', true)`,
    );
    return fn(tx);
  });
}

const query = { modelId: MODEL, vector: axis(0) };

describe.each([
  ["with pgvector", true],
  ["without pgvector (SQL fallback)", false],
])("vector ranking %s", (_label, withVector) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await openFixture(withVector);
  }, 120_000);
  afterAll(async () => {
    await f.close();
  });

  it("detects the extension on this database", async () => {
    expect((await vectorSupport(f.db)).pgvector).toBe(withVector);
  });

  it("ranks the nearest chunk first and never another organization's (whose chunk is nearer still)", async () => {
    expect(await ensureVectorIndex(DIMS, f.db, [DIMS])).toBe(withVector);
    const result = await asTenant(f.db, f.orgA, (tx) =>
      rankByVector(tx, { orgId: f.orgA, projectId: null, queryText: "", limit: 10, query, db: f.db }),
    );
    expect(result?.ranked).toHaveLength(10);
    expect(result?.ranked[0]?.chunkId).toBe(f.targetA);
    expect(result?.ranked[0]?.distance).toBeCloseTo(1 - (axis(0, 0.05)[0] ?? 0), 4);
    expect(result?.ranked.map((r) => r.chunkId)).not.toContain(f.targetB);
    const distances = result?.ranked.map((r) => r.distance) ?? [];
    expect([...distances].sort((x, y) => x - y)).toEqual(distances);

    const exact = await rows<{ id: string }>(
      f.db,
      sql`select id from knowledge_chunks where org_id = ${f.orgA}
          order by (select sum(a::float8 * b) from unnest(embedding, ${`{${query.vector.join(",")}}`}::real[]) t(a, b)) desc limit 10`,
    );
    // HNSW is approximate; on this fixture it finds at least 9 of the exact 10.
    const found = new Set(result?.ranked.map((r) => r.chunkId));
    expect(exact.filter((e) => found.has(e.id)).length).toBeGreaterThanOrEqual(withVector ? 9 : 10);

    // Org B's tenant asking for org A: nothing (RLS under the org filter).
    const crossed = await asTenant(f.db, f.orgB, (tx) =>
      rankByVector(tx, { orgId: f.orgA, projectId: null, queryText: "", limit: 10, query, db: f.db }),
    );
    expect(crossed).toBeNull();
    // Another model's query (or dimension) finds nothing: null.
    const otherModel = await asTenant(f.db, f.orgA, (tx) =>
      rankByVector(tx, {
        orgId: f.orgA,
        projectId: null,
        queryText: "",
        limit: 10,
        query: { modelId: "openai:other", vector: query.vector },
        db: f.db,
      }),
    );
    expect(otherModel).toBeNull();
  });

  it.runIf(withVector)("creates the HNSW index on demand, and the ranking query uses it", async () => {
    await ensureVectorIndex(DIMS, f.db, [DIMS]);
    const [index] = await rows<{ def: string }>(
      f.db,
      sql`select indexdef as def from pg_indexes where indexname = ${`knowledge_chunks_hnsw_${DIMS}`}`,
    );
    expect(index?.def).toMatch(/USING hnsw .*vector_cosine_ops.*array_length\(embedding, 1\) = 16/);
    const { setup, ranking } = vectorRankingQuery(
      { orgId: f.orgA, projectId: null, limit: 10 },
      query,
      await vectorSupport(f.db),
    );
    const plan = await asTenant(f.db, f.orgA, async (tx) => {
      if (setup) await tx.execute(setup);
      const lines = await rows<{ "QUERY PLAN": string }>(tx, sql`explain ${ranking}`);
      return lines.map((l) => l["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain(`Index Scan using knowledge_chunks_hnsw_${DIMS}`);
  });

  it("builds no index for a dimension count outside the allowlist (ranking scans exactly)", async () => {
    expect(INDEXED_DIMENSIONS).toEqual([256, 384, 512, 768, 1024, 1536]);
    expect(await ensureVectorIndex(DIMS, f.db)).toBe(false);
    expect(await ensureVectorIndex(17, f.db, [17, DIMS])).toBe(withVector);
    expect(await ensureVectorIndex(1999, f.db)).toBe(false);
    const indexes = await rows<{ name: string }>(
      f.db,
      sql`select indexname as name from pg_indexes where indexname like 'knowledge_chunks_hnsw_%' order by 1`,
    );
    expect(indexes.map((i) => i.name)).toEqual(
      withVector ? ["knowledge_chunks_hnsw_16", "knowledge_chunks_hnsw_17"] : [],
    );
  });

  it.runIf(withVector)(
    "drops and rebuilds an index an interrupted concurrent build left invalid",
    async () => {
      const name = "knowledge_chunks_hnsw_384";
      await f.db.execute(
        sql.raw(
          `CREATE INDEX ${name} ON knowledge_chunks USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE array_length(embedding, 1) = 384`,
        ),
      );
      await f.db.execute(
        sql.raw(`update pg_index set indisvalid = false where indexrelid = '${name}'::regclass`),
      );
      const validity = () =>
        rows<{ valid: boolean; oid: number }>(
          f.db,
          sql`select indisvalid as valid, indexrelid::int as oid from pg_index where indexrelid = ${name}::regclass`,
        );
      const [before] = await validity();
      expect(before?.valid).toBe(false);
      expect(await ensureVectorIndex(384, f.db)).toBe(true);
      const [after] = await validity();
      expect(after?.valid).toBe(true);
      expect(after?.oid).not.toBe(before?.oid);
    },
  );

  it("refuses a dimension that is not a whole number in range before any SQL", async () => {
    await expect(ensureVectorIndex(0, f.db)).rejects.toThrow(/Invalid vector dimension/);
    await expect(ensureVectorIndex(1.5, f.db)).rejects.toThrow(/Invalid vector dimension/);
  });
});

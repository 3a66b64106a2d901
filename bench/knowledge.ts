/**
 * Knowledge benchmark (a script, not a test): ingestion throughput through `chunkText` +
 * `storeChunks`, and search latency p50/p95 on 10,000 chunks of one organization (plus noise
 * organizations) for ~200 varied queries (keywords, questions, typos, identifiers): the full
 * hybrid search without vectors (`searchKnowledge`: full text + trigram, fused and cited) and
 * the vector ranking computed in SQL over `real[]` (the fallback where pgvector is missing), on
 * random normalized 256-dimension embeddings. Also prints whether the GIN indexes serve the
 * text query (EXPLAIN).
 *
 *   npm run bench:knowledge                                   # PGlite in a temporary folder
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> npm run bench:knowledge
 *   (BENCH_CHUNKS=10000, BENCH_NOISE_CHUNKS=3000 per noise org, BENCH_QUERIES=200, BENCH_DIM=256;
 *   BENCH_PLAN=1 prints the plan, BENCH_PLAN=analyze runs it; on Postgres BENCH_KEEP=1 keeps the
 *   data and the next BENCH_KEEP=1 run searches it again without ingesting)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10_000);
const NOISE_CHUNKS = Number(process.env.BENCH_NOISE_CHUNKS ?? 3_000);
const NOISE_ORGS = 2;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const DIM = Number(process.env.BENCH_DIM ?? 256);

const pglite = !process.env.DATABASE_URL;
let tmp: string | null = null;
if (pglite) {
  tmp = mkdtempSync(path.join(tmpdir(), "dm-bench-knowledge-"));
  process.env.PGLITE_DIR = path.join(tmp, "db");
}

// Imported after the environment is set: the database module reads it on first use.
const { sql } = await import("drizzle-orm");
const { closeDb, getDb, migrationsFolder, withTenant } = await import("@/db");
const { knowledgeDocuments, organizations } = await import("@/db/schema");
const { rows } = await import("@/lib/engine/store");
const { chunkText } = await import("@/lib/knowledge/chunk");
const { storeChunks } = await import("@/lib/knowledge/save-text-document");
const { searchKnowledge } = await import("@/lib/knowledge/search");
const { CANDIDATES_PER_LIST, searchableChunks, textRankSql, TRIGRAM_THRESHOLD } = await import(
  "@/lib/knowledge/rank-by-text"
);

/** Deterministic pseudo-random numbers (mulberry32), so every run ingests and asks the same. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(11);
const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T;

const REAL = (
  "deploy deployment rollback release canary cluster node pod service queue consumer producer " +
  "database replica primary failover backup restore migration schema index query cache redis " +
  "session token oauth webhook signature retry backoff timeout circuit breaker limit quota " +
  "invoice billing payment customer tenant organization project repository branch commit review " +
  "test coverage flaky pipeline build artifact container image registry secret vault certificate " +
  "incident severity pager escalation runbook alert metric trace log latency throughput error " +
  "storage bucket upload download stream event schedule cron worker job batch shard partition"
).split(" ");
const SYLLABLES = "ka lo mi nu re sa ti vo ze ba de fi go hu ja ke li mo na pe qu ri so tu va we xi yo".split(
  " ",
);
const INVENTED = Array.from({ length: 4000 }, () =>
  Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(SYLLABLES)).join(""),
);
/** Zipf-like: real words and a few invented ones often, the long tail rarely. */
const word = () =>
  rand() < 0.08 ? pick(REAL) : (INVENTED[Math.floor(INVENTED.length * rand() ** 2.5)] ?? "x");
const identifiers: string[] = [];
const identifier = () => {
  const id = `${word()}_${word()}_${pick(["ms", "count", "max", "url", "id"])}`;
  identifiers.push(id);
  return id;
};
const sentence = () => {
  const n = 8 + Math.floor(rand() * 10);
  const words = Array.from({ length: n }, () => (rand() < 0.03 ? `\`${identifier()}\`` : word()));
  const s = words.join(" ");
  return `${s[0]?.toUpperCase()}${s.slice(1)}.`;
};
const paragraph = () => Array.from({ length: 4 + Math.floor(rand() * 3) }, sentence).join(" ");
function documentText(title: string): string {
  const sections = Array.from({ length: 4 + Math.floor(rand() * 5) }, () => {
    const body = [paragraph(), paragraph()];
    if (rand() < 0.2) body.push(`\`\`\`\n${identifier()} = ${Math.floor(rand() * 1000)}\n\`\`\``);
    return `## ${word()} ${word()}\n\n${body.join("\n\n")}`;
  });
  return `# ${title}\n\n${sections.join("\n\n")}\n`;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function migratePostgres() {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
  await migrate(drizzle(client), { migrationsFolder });
  await client.end();
}

/** Documents into one organization until it holds `target` chunks; the time in chunk + store. */
async function ingest(orgId: string, target: number) {
  let chunks = 0;
  let bytes = 0;
  let busy = 0;
  let docs = 0;
  while (chunks < target) {
    await withTenant({ orgId }, async (tx) => {
      for (let i = 0; i < 25 && chunks < target; i++) {
        const title = `${word()} ${word()} guide ${docs}`;
        const text = documentText(title);
        const [d] = await tx
          .insert(knowledgeDocuments)
          .values({ orgId, source: "upload", title })
          .returning({ id: knowledgeDocuments.id });
        if (!d) throw new Error("no document");
        const t0 = performance.now();
        const cut = chunkText(text, "markdown");
        await storeChunks(tx, { orgId, projectId: null, documentId: d.id, version: 1, chunks: cut });
        busy += performance.now() - t0;
        chunks += cut.length;
        bytes += Buffer.byteLength(text);
        docs++;
      }
    });
  }
  return { chunks, bytes, seconds: busy / 1000, docs };
}

function queries(n: number): { kind: string; q: string }[] {
  const typo = (w: string) => {
    if (w.length < 4) return w;
    const i = 1 + Math.floor(rand() * (w.length - 2));
    return w.slice(0, i) + (w[i + 1] ?? "") + (w[i] ?? "") + w.slice(i + 2);
  };
  const out: { kind: string; q: string }[] = [];
  for (let i = 0; out.length < n; i++) {
    const kind = ["keyword", "keyword", "question", "typo", "identifier"][i % 5] ?? "keyword";
    const q =
      kind === "keyword"
        ? Array.from({ length: 1 + Math.floor(rand() * 3) }, word).join(" ")
        : kind === "question"
          ? `how do we ${word()} the ${word()} when the ${word()} fails`
          : kind === "typo"
            ? `${typo(word())} ${typo(word())}`
            : rand() < 0.5
              ? pick(identifiers)
              : pick(identifiers).split("_").slice(0, 2).join("_");
    out.push({ kind, q });
  }
  return out;
}

/** The SQL fallback's ranking: cosine distance of normalized `real[]` vectors, in SQL, exact. */
function vectorSql(orgId: string, vector: number[]) {
  const { join, where } = searchableChunks({ orgId, projectId: null });
  const literal = `{${vector.join(",")}}`;
  return sql`select c.id::text as id,
      1 - (select sum(a * b) from unnest(c.embedding, ${literal}::real[]) as t(a, b)) as distance
    from knowledge_chunks c ${join}
    where ${where} and c.embedding is not null
    order by distance, c.id
    limit ${CANDIDATES_PER_LIST}`;
}

function randomUnitVector(dim: number): number[] {
  const v = Array.from({ length: dim }, () => rand() - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => Number((x / norm).toFixed(6)));
}

async function main() {
  if (!pglite) await migratePostgres();
  const db = await getDb();
  console.log(
    `database: ${pglite ? "PGlite (temporary folder)" : "Postgres (DATABASE_URL)"}; ${CHUNKS} chunks in the searched organization, ${NOISE_ORGS} noise organizations of ${NOISE_CHUNKS}\n`,
  );
  const keep = !pglite && process.env.BENCH_KEEP === "1";
  const suffix = keep ? "kept" : Math.random().toString(36).slice(2, 8);
  const slugs = Array.from({ length: NOISE_ORGS + 1 }, (_, i) => `bench-knowledge-${suffix}-${i}`);
  const kept = keep
    ? await rows<{ id: string }>(
        db,
        sql`select id::text as id from organizations where slug in (${sql.join(
          slugs.map((s) => sql`${s}`),
          sql`, `,
        )}) order by slug`,
      )
    : [];
  const reuse = kept.length === slugs.length;
  const made = reuse
    ? kept
    : await db
        .insert(organizations)
        .values(slugs.map((slug, i) => ({ name: `Bench knowledge ${i}`, slug })))
        .returning({ id: organizations.id });
  const [org, ...noise] = made.map((o) => o.id);
  if (!org) throw new Error("no organization");
  try {
    if (reuse) {
      console.log("reusing the chunks a BENCH_KEEP=1 run left (ingestion not measured)\n");
      const found = await rows<{ id: string }>(
        db,
        sql`select distinct (regexp_matches(content, '[a-z]+_[a-z]+_(?:ms|count|max|url|id)', 'g'))[1] as id
          from knowledge_chunks where org_id = ${org} order by 1 limit 500`,
      );
      identifiers.push(...found.map((r) => r.id));
    } else {
      const main = await ingest(org, CHUNKS);
      for (const n of noise) await ingest(n, NOISE_CHUNKS);
      await db.execute(sql`analyze knowledge_chunks`);
      await db.execute(sql`analyze knowledge_documents`);
      console.log("ingestion (chunkText + storeChunks, 25 documents per transaction)");
      console.log(
        `  ${main.docs} documents, ${main.chunks} chunks, ${(main.bytes / 1e6).toFixed(1)} MB in ${main.seconds.toFixed(1)} s: ` +
          `${(main.chunks / main.seconds).toFixed(0)} chunks/s, ${(main.bytes / 1e6 / main.seconds).toFixed(2)} MB/s\n`,
      );
    }

    // Does Postgres use the GIN indexes for the candidate lists at this size? (Owner connection,
    // as searchKnowledge ranks: under RLS the non-LEAKPROOF `@@` and `<%` cannot use an index.)
    const plan = await db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TRIGRAM_THRESHOLD)}, true)`,
      );
      const lines = await rows<{ "QUERY PLAN": string }>(
        tx,
        sql`explain ${process.env.BENCH_PLAN === "analyze" ? sql`(analyze, buffers)` : sql``} ${textRankSql({ orgId: org, projectId: null, query: `${REAL[3]} ${REAL[7]}` })}`,
      );
      return lines.map((l) => l["QUERY PLAN"]).join("\n");
    });
    console.log(
      `EXPLAIN of the text query: tsv GIN index ${plan.includes("knowledge_chunks_tsv_idx") ? "used" : "NOT used"}, ` +
        `trigram GIN index ${plan.includes("knowledge_chunks_trgm_idx") ? "used" : "NOT used"}`,
    );
    if (process.env.BENCH_PLAN) console.log(plan);

    const list = queries(QUERIES);
    for (const { q } of list.slice(0, 20))
      await searchKnowledge({ orgId: org, projectId: null }, { query: q });
    const byKind = new Map<string, number[]>();
    const all: number[] = [];
    let empty = 0;
    for (const { kind, q } of list) {
      const t0 = performance.now();
      const r = await searchKnowledge({ orgId: org, projectId: null }, { query: q, limit: 10 });
      const took = performance.now() - t0;
      if (r.hits.length === 0) empty++;
      all.push(took);
      byKind.set(kind, [...(byKind.get(kind) ?? []), took]);
    }

    // Embeddings for the vector fallback: random unit vectors, written in SQL.
    const tEmbed = performance.now();
    await db.execute(sql`update knowledge_chunks c
      set embedding = (select array_agg(x / n.norm)::real[] from unnest(r.v) as x),
          embedding_model = 'bench:random'
      from (select id, array(select random() - 0.5 from generate_series(1, ${DIM}) where id is not null) as v
            from knowledge_chunks) as r,
        lateral (select sqrt(sum(y * y)) as norm from unnest(r.v) as y) as n
      where c.id = r.id`);
    const embedSeconds = (performance.now() - tEmbed) / 1000;
    const vectorTimes: number[] = [];
    for (let i = 0; i < Math.min(QUERIES, 100) + 5; i++) {
      const v = randomUnitVector(DIM);
      const t0 = performance.now();
      await withTenant({ orgId: org }, (tx) => rows(tx, vectorSql(org, v)));
      if (i >= 5) vectorTimes.push(performance.now() - t0);
    }

    const line = (name: string, times: number[], extra = "") => {
      const s = [...times].sort((a, b) => a - b);
      console.log(
        `${name.padEnd(44)} ${String(s.length).padStart(7)} ${ms(percentile(s, 0.5)).padStart(10)} ${ms(percentile(s, 0.95)).padStart(10)} ${ms(s.at(-1) ?? 0).padStart(10)}  ${extra}`,
      );
    };
    console.log(`\n${"search".padEnd(44)} queries        p50        p95        max`);
    line("full text + trigram (searchKnowledge)", all, `${empty} of ${all.length} found nothing`);
    for (const [kind, times] of byKind) line(`  ${kind}`, times);
    line(
      `vectors, SQL fallback (${DIM} dims, exact)`,
      vectorTimes,
      `embeddings written in ${embedSeconds.toFixed(1)} s`,
    );
    const v50 = percentile(
      [...vectorTimes].sort((a, b) => a - b),
      0.5,
    );
    console.log(
      `\nvector fallback cost: ${((v50 * 1000) / CHUNKS).toFixed(1)} µs per chunk in scope at p50 (linear: ` +
        `~${Math.round((200 / v50) * CHUNKS).toLocaleString("en")} chunks reach 200 ms)`,
    );
  } finally {
    // Postgres keeps what a run wrote: remove the benchmark's organizations (chunks cascade).
    if (!keep)
      for (const id of made.map((o) => o.id))
        await db.execute(sql`delete from organizations where id = ${id}`);
    await closeDb();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

await main();

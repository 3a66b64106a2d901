/**
 * Embedded engine benchmark (a script, not a test): step overhead p50/p99 and sustained steps per
 * second for 1, 10 and 100 concurrent runs, on PGlite (a folder, as on a laptop) and on Postgres
 * (DATABASE_URL, skipped when unset). Each run is 20 trivial `step.run`s; the overhead of a step
 * is the time between the starts of two consecutive step bodies of one run.
 *
 *   npm run bench:engine                       # PGlite only
 *   DATABASE_URL=postgres://... npm run bench:engine
 *   BENCH_VARIANTS=all npm run bench:engine    # also without checkpointing and over loopback HTTP
 *   (BENCH_CONCURRENCY=1,10, BENCH_SKIP_PGLITE=1, BENCH_SLOTS=n, BENCH_LOG=debug narrow or explain a run)
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import { type Db, pgliteExtensions } from "@/db";
import * as schema from "@/db/schema";
import { EMBEDDED_BASE_URL, engineFetch } from "@/lib/engine/embedded";
import { createEngine, type Engine } from "@/lib/engine/engine";
import { jsonLogger, silentLogger } from "@/lib/engine/log";
import { rows } from "@/lib/engine/store";
import { httpTransport, inProcessTransport, type ServeHandler, type Transport } from "@/lib/engine/transport";

const STEPS = 20;
const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "db", "migrations");

type Database = { name: string; db: Db; postgres: boolean; close: () => Promise<void> };

async function openPglite(): Promise<Database> {
  const dir = mkdtempSync(path.join(tmpdir(), "engine-bench-"));
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = new PGlite(path.join(dir, "pglite"), { extensions: await pgliteExtensions() });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return {
    name: "PGlite",
    db: db as unknown as Db,
    postgres: false,
    close: async () => {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { name: "Postgres", db: db as unknown as Db, postgres: true, close: () => client.end() };
}

type Variant = { name: string; checkpointing: boolean; http: boolean };

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function scenario(database: Database, variant: Variant, concurrency: number) {
  const { db } = database;
  await db.execute(sql`truncate engine_events, engine_jobs, engine_steps, engine_runs`);
  const signingKey = `signkey-bench-${randomBytes(32).toString("hex")}`;
  let engine: Engine | undefined;
  const client = new Inngest({
    id: "bench",
    isDev: false,
    signingKey,
    eventKey: "bench",
    baseUrl: EMBEDDED_BASE_URL,
    logger: { info() {}, warn() {}, error() {}, debug() {} },
    fetch: engineFetch(() => (engine as Engine).api),
  });
  const starts = new Map<string, number[]>();
  const fn = client.createFunction(
    { id: "steps", checkpointing: variant.checkpointing, triggers: [{ event: "bench/run" }] },
    async ({ step, runId }) => {
      for (let i = 0; i < STEPS; i++) {
        await step.run(`s${i}`, () => {
          const list = starts.get(runId) ?? [];
          if (list.length === i) list.push(performance.now());
          starts.set(runId, list);
          return i;
        });
      }
    },
  );
  const serveHandler = serve({ client, functions: [fn] });
  const handler: ServeHandler = (req) => serveHandler(req as never, undefined);
  let transport: Transport = inProcessTransport(handler);
  let server: ReturnType<typeof createServer> | undefined;
  if (variant.http) {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const response = await handler(
        new Request(`http://127.0.0.1${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: req.method === "GET" ? undefined : Buffer.concat(chunks),
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    transport = httpTransport(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`);
  }
  engine = createEngine({
    db,
    transport,
    signingKey,
    logger: process.env.BENCH_LOG ? jsonLogger(process.env.BENCH_LOG as "debug") : silentLogger,
    pollMs: 100,
    asyncCommit: database.postgres,
    releaseClaimsOnStart: !database.postgres,
    slots: Number(process.env.BENCH_SLOTS ?? 0) || undefined,
  });
  await engine.start();

  let completed = 0;
  const round = async (size: number) => {
    await engine?.send(Array.from({ length: size }, (_, i) => ({ name: "bench/run", data: { i } })));
    completed += size;
    for (;;) {
      const [row] = await rows<{ n: number }>(
        db,
        sql`select count(*)::int as n from engine_runs where status = 'completed'`,
      );
      if ((row?.n ?? 0) >= completed) return;
      await new Promise((res) => setTimeout(res, 10));
    }
  };
  // Warm up (JIT, lazily loaded modules, prepared statements) before measuring.
  for (let i = 0; i < 5; i++) await round(Math.min(concurrency, 10));
  starts.clear();

  const rounds = concurrency === 1 ? 20 : concurrency === 10 ? 5 : 2;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) await round(concurrency);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await engine.stop();
  server?.close();

  const gaps: number[] = [];
  let lastStart = 0;
  for (const list of starts.values()) {
    for (let i = 1; i < list.length; i++) gaps.push((list[i] as number) - (list[i - 1] as number));
    lastStart = Math.max(lastStart, list.at(-1) ?? 0);
  }
  gaps.sort((a, b) => a - b);
  const steps = [...starts.values()].reduce((n, l) => n + l.length, 0);
  return {
    p50: percentile(gaps, 0.5),
    p99: percentile(gaps, 0.99),
    stepsPerSecond: steps / (wall / 1000),
    cpuPerStep: (cpu.user + cpu.system) / 1000 / steps,
    runs: rounds * concurrency,
  };
}

async function main() {
  const all: Variant[] = [
    { name: "in-process, checkpointing", checkpointing: true, http: false },
    { name: "in-process, no checkpointing", checkpointing: false, http: false },
    { name: "loopback HTTP, checkpointing", checkpointing: true, http: true },
  ];
  const pick = process.env.BENCH_VARIANTS;
  const variants = pick === "all" ? all : pick === "loopback" ? [all[2] as Variant] : [all[0] as Variant];
  const databases: (() => Promise<Database>)[] = process.env.BENCH_SKIP_PGLITE ? [] : [openPglite];
  const url = process.env.DATABASE_URL;
  if (url) databases.push(() => openPostgres(url));
  else console.log("DATABASE_URL is not set: Postgres skipped.");

  console.log(
    `${STEPS} sequential steps per run; overhead = time between consecutive step starts in a run\n`,
  );
  console.log(
    "database  transport                      runs-at-once  runs  p50 ms  p99 ms  steps/s  cpu ms/step",
  );
  for (const open of databases) {
    const database = await open();
    for (const variant of variants) {
      for (const concurrency of (process.env.BENCH_CONCURRENCY ?? "1,10,100").split(",").map(Number)) {
        const r = await scenario(database, variant, concurrency);
        console.log(
          `${database.name.padEnd(9)} ${variant.name.padEnd(30)} ${String(concurrency).padStart(12)} ${String(r.runs).padStart(5)} ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.stepsPerSecond.toFixed(0).padStart(8)} ${r.cpuPerStep.toFixed(2).padStart(12)}`,
        );
      }
    }
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

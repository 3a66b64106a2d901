/**
 * Run stream benchmark (a script, not a test): latency from an event being appended to the run's
 * log to its arrival at SSE clients, p50/p95/max, with 1 and 500 concurrent viewers, on PGlite
 * (a folder, as on a laptop) and on Postgres (DATABASE_URL, skipped when unset).
 *
 *   node --conditions=react-server --import tsx bench/stream.ts
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<fresh db> node --conditions=react-server --import tsx bench/stream.ts
 *
 * The clock starts just before the appending transaction opens (so it includes the append and
 * its commit) and stops when a client has parsed the event from the socket. Viewers connect
 * over loopback HTTP to a server that returns the same body as the stream route
 * (`createRunEventStream`; the route adds only the session and scope check before it). One
 * event is appended every INTERVAL_MS, EVENTS per scenario. Clients and server share this process,
 * so 500 viewers also measure the cost of parsing 500 streams here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 20);
const VIEWERS = (process.env.BENCH_VIEWERS ?? "1,500").split(",").map(Number);

const pglite = !process.env.DATABASE_URL;
let tmp: string | null = null;
if (pglite) {
  tmp = mkdtempSync(path.join(tmpdir(), "dm-bench-stream-"));
  process.env.PGLITE_DIR = path.join(tmp, "db");
}

// Imported after the environment is set: the database module reads it on first use.
const { closeDb, getDb, migrationsFolder, withTenant } = await import("@/db");
const { organizations, projects, runs } = await import("@/db/schema");
const { appendRunEvents } = await import("@/lib/runs/event-log");
const { createRunEventStream } = await import("@/lib/runs/live-stream");
const { RUN_EVENT_PART, RUN_STREAM_HEADERS } = await import("@/lib/runs/stream-protocol");

async function migratePostgres() {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
  await migrate(drizzle(client), { migrationsFolder });
  await client.end();
}

async function seedRun() {
  const db = await getDb();
  const suffix = Math.random().toString(36).slice(2, 10);
  const [org] = await db
    .insert(organizations)
    .values({ name: "Bench", slug: `bench-${suffix}` })
    .returning();
  if (!org) throw new Error("no org");
  const [project] = await db
    .insert(projects)
    .values({ orgId: org.id, name: "Bench", slug: "bench" })
    .returning();
  if (!project) throw new Error("no project");
  const [run] = await db
    .insert(runs)
    .values({
      orgId: org.id,
      projectId: project.id,
      goal: "Bench",
      templateSlug: "feature-build",
      tokenBudget: 1_000,
    })
    .returning();
  if (!run) throw new Error("no run");
  return { orgId: org.id, runId: run.id };
}

function startServer(scope: { orgId: string; runId: string }): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    const body = createRunEventStream({ ...scope, after: 0, signal: abort.signal });
    res.writeHead(200, RUN_STREAM_HEADERS);
    const reader = body.getReader();
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
    })().catch(() => res.destroy());
  });
  server.maxConnections = 10_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

type Viewer = { arrivals: Map<number, number>; ready: Promise<void>; close: () => void };

function connect(port: number, sentAt: Map<number, number>): Viewer {
  const arrivals = new Map<number, number>();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
    res.setEncoding("utf8");
    let buffer = "";
    res.on("data", (chunk: string) => {
      const now = performance.now();
      buffer += chunk;
      let end = buffer.indexOf("\n\n");
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const line = block.split("\n").find((l) => l.startsWith("data: "));
        if (!line) continue;
        const data = line.slice(6);
        if (data === "[DONE]") continue;
        const chunkJson = JSON.parse(data) as { type: string; data?: { seq: number } };
        if (chunkJson.type === "start") markReady();
        if (chunkJson.type === RUN_EVENT_PART && chunkJson.data && sentAt.has(chunkJson.data.seq)) {
          arrivals.set(chunkJson.data.seq, now);
        }
      }
    });
  });
  req.on("error", () => {});
  return { arrivals, ready, close: () => req.destroy() };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function scenario(viewers: number) {
  const scope = await seedRun();
  const server = await startServer(scope);
  const { port } = server.address() as AddressInfo;
  const sentAt = new Map<number, number>();
  const clients = Array.from({ length: viewers }, () => connect(port, sentAt));
  await Promise.all(clients.map((c) => c.ready));
  // Let every viewer finish its (empty) replay and join the live feed.
  await new Promise((r) => setTimeout(r, 300));

  for (let i = 0; i < EVENTS; i++) {
    const seq = i + 1;
    sentAt.set(seq, performance.now());
    await withTenant({ orgId: scope.orgId }, (tx) =>
      appendRunEvents(tx, scope, [
        { type: "agent.delta", taskId: null, agentSlug: "bench", delta: `chunk ${seq} ` },
      ]),
    );
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  const deadline = Date.now() + 10_000;
  while (clients.some((c) => c.arrivals.size < EVENTS) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }

  const latencies: number[] = [];
  let missing = 0;
  for (const c of clients) {
    for (const [seq, start] of sentAt) {
      const at = c.arrivals.get(seq);
      if (at === undefined) missing++;
      else latencies.push(at - start);
    }
  }
  latencies.sort((a, b) => a - b);
  for (const c of clients) c.close();
  await new Promise((r) => server.close(r));
  return {
    viewers,
    deliveries: latencies.length,
    missing,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

if (!pglite) await migratePostgres();
await getDb();
console.log(
  `run stream latency — ${pglite ? "PGlite (folder)" : "Postgres"}; ${EVENTS} events, one every ${INTERVAL_MS} ms`,
);
console.log("viewers  deliveries  missing    p50 ms    p95 ms    max ms");
for (const viewers of VIEWERS) {
  const r = await scenario(viewers);
  console.log(
    `${String(r.viewers).padStart(7)}  ${String(r.deliveries).padStart(10)}  ${String(r.missing).padStart(7)}  ${r.p50.toFixed(2).padStart(8)}  ${r.p95.toFixed(2).padStart(8)}  ${r.max.toFixed(2).padStart(8)}`,
  );
}
await closeDb();
if (tmp) rmSync(tmp, { recursive: true, force: true });
process.exit(0);

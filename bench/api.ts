/**
 * REST API read benchmark (a script, not a test): latency of authenticated /api/v1 reads at a fixed
 * arrival rate, p50/p95/p99 and the achieved rate, on PGlite (a folder, as on a laptop) or on
 * Postgres (DATABASE_URL). Target: p95 ≤ 25 ms at 300 requests/s.
 *
 *   npm run bench:api
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> npm run bench:api
 *
 * A loopback HTTP server hands each request to the real route handlers (app/api/v1/projects and
 * app/api/v1/projects/[project]): API key authentication, the per-key and per-org rate limits
 * (counted in the database, or Redis with REDIS_URL), the scope check, zod and the query under
 * RLS are all measured; Next's router is not. A child process (bench/api-load.ts) sends the
 * requests open-loop (each at its scheduled time, whether or not earlier ones have answered) over
 * keep-alive connections, alternating
 * `GET /api/v1/projects/{id}` and `GET /api/v1/projects?limit=20`, with BENCH_KEYS keys in turn (each
 * key's 1,200/min limit would stop one key at 300 req/s for more than 4 s). Latency is from the
 * scheduled send time to the end of the response body.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";

const RATE = Number(process.env.BENCH_RATE ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const KEYS = Number(process.env.BENCH_KEYS ?? 10);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 50);

const pglite = !process.env.DATABASE_URL;
let tmp: string | null = null;
if (pglite) {
  tmp = mkdtempSync(path.join(tmpdir(), "dm-bench-api-"));
  process.env.PGLITE_DIR = path.join(tmp, "db");
}
process.env.REPOS_DIR ??= path.join(tmp ?? mkdtempSync(path.join(tmpdir(), "dm-bench-api-")), "repos");

// Imported after the environment is set: the database module reads it on first use.
const { closeDb, getDb, migrationsFolder } = await import("@/db");
const { memberships, organizations, projects, users } = await import("@/db/schema");
const { createApiKey } = await import("@/lib/api-keys/create-api-key");
const { resolveOrgContext } = await import("@/lib/orgs/context");
const { PERMISSIONS } = await import("@/lib/auth/permissions");
const projectRoute = await import("@/app/api/v1/projects/[project]/route");
const projectsRoute = await import("@/app/api/v1/projects/route");

async function migratePostgres() {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
  await migrate(drizzle(client), { migrationsFolder });
  await client.end();
}

async function seed() {
  const db = await getDb();
  const suffix = Math.random().toString(36).slice(2, 10);
  const [user] = await db
    .insert(users)
    .values({ email: `bench-${suffix}@example.test`, name: "Bench", emailVerified: new Date() })
    .returning();
  if (!user) throw new Error("no user");
  // Enterprise: the org's limit (20,000/min) is above what this run sends.
  const [org] = await db
    .insert(organizations)
    .values({ name: "Bench", slug: `bench-${suffix}`, plan: "enterprise" })
    .returning();
  if (!org) throw new Error("no org");
  await db.insert(memberships).values({ orgId: org.id, userId: user.id, role: "owner" });
  const rows = await db
    .insert(projects)
    .values(
      Array.from({ length: PROJECTS }, (_, i) => ({
        orgId: org.id,
        name: `Project ${i}`,
        slug: `project-${i}`,
        description: "A project to read.",
        brief: "Read me.".repeat(50),
      })),
    )
    .returning({ id: projects.id });
  const ctx = await resolveOrgContext(
    { id: user.id, email: user.email, name: user.name },
    org.slug,
    "api_keys.manage",
    { ip: null, userAgent: "bench" },
  );
  const secrets: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    const { secret } = await createApiKey(ctx, {
      name: `bench ${i}`,
      scopes: PERMISSIONS.filter((p) => p === "projects.read"),
      expiresInDays: null,
    });
    secrets.push(secret);
  }
  return { projectIds: rows.map((r) => r.id), secrets };
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

function startServer(): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/api\/v1\/projects(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const handler: Handler = match[1] ? projectRoute.GET : projectsRoute.GET;
    const params: Record<string, string> = match[1] ? { project: decodeURIComponent(match[1]) } : {};
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await handler(new Request(url, { headers }), { params: Promise.resolve(params) });
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

if (!pglite) await migratePostgres();
await getDb();
const { projectIds, secrets } = await seed();
const server = await startServer();
const { port } = server.address() as AddressInfo;

const paths = projectIds.flatMap((id) => [
  { kind: "get", path: `/api/v1/projects/${id}` },
  { kind: "list", path: "/api/v1/projects?limit=20" },
]);
const cpuBefore = process.cpuUsage();
const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    path.join(import.meta.dirname, "api-load.ts"),
    JSON.stringify({ port, rate: RATE, seconds: SECONDS, paths, keys: secrets }),
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
let out = "";
child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
  out += chunk;
});
await new Promise((resolve) => child.on("exit", resolve));
const cpu = process.cpuUsage(cpuBefore);
const { results, elapsed } = JSON.parse(out) as {
  results: { kind: "get" | "list"; ms: number; status: number }[];
  elapsed: number;
};

console.log(
  `REST API v1 reads — ${pglite ? "PGlite (folder)" : "Postgres"}${process.env.REDIS_URL ? ", Redis limits" : ""}; ${RATE} req/s for ${SECONDS} s, ${KEYS} keys`,
);
console.log("request                      n   non-200   p50 ms   p95 ms   p99 ms   max ms");
for (const kind of ["get", "list", "all"] as const) {
  const rows = results.filter((r) => kind === "all" || r.kind === kind);
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  const label = { get: "GET /projects/{id}", list: "GET /projects?limit=20", all: "all" }[kind];
  console.log(
    `${label.padEnd(24)} ${String(rows.length).padStart(5)}  ${String(rows.filter((r) => r.status !== 200).length).padStart(8)}  ${pct(ms, 50).toFixed(2).padStart(7)}  ${pct(ms, 95).toFixed(2).padStart(7)}  ${pct(ms, 99).toFixed(2).padStart(7)}  ${(ms.at(-1) ?? Number.NaN).toFixed(2).padStart(7)}`,
  );
}
console.log(
  `achieved ${(results.length / elapsed).toFixed(1)} req/s over ${elapsed.toFixed(2)} s (target p95 ≤ 25 ms)`,
);
console.log(
  `server process: ${((cpu.user + cpu.system) / 1000 / (results.length + 50)).toFixed(2)} ms CPU per request; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${cpus().length} CPUs`,
);
await new Promise((r) => server.close(r));
await closeDb();
if (tmp) rmSync(tmp, { recursive: true, force: true });
process.exit(0);

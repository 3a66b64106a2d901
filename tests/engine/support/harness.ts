import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/next";
import { getDb } from "@/db";
import { EMBEDDED_BASE_URL, engineFetch } from "@/lib/engine/embedded";
import { createEngine, type Engine, type EngineOptions } from "@/lib/engine/engine";
import { silentLogger } from "@/lib/engine/log";
import { rows } from "@/lib/engine/store";
import { inProcessTransport } from "@/lib/engine/transport";

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/** Engine tables are shared by every test file on one Postgres database: start each file clean. */
export async function resetEngineTables() {
  const db = await getDb();
  await db.execute(sql`truncate engine_events, engine_jobs, engine_steps, engine_runs`);
}

/**
 * A real Inngest client in cloud mode (signature checks on) whose API calls go to the engine in
 * process, and the real `serve` handler from inngest/next: the same path the app uses.
 */
export function createTestApp(id = `test-${randomBytes(3).toString("hex")}`) {
  const signingKey = `signkey-test-${randomBytes(32).toString("hex")}`;
  const engines: Engine[] = [];
  const client = new Inngest({
    id,
    isDev: false,
    signingKey,
    eventKey: "test",
    baseUrl: EMBEDDED_BASE_URL,
    logger: quiet,
    fetch: engineFetch(() => {
      const engine = engines[0];
      if (!engine) throw new Error("engine not started");
      return engine.api;
    }),
  });

  async function start(functions: InngestFunction.Any[], options: Partial<EngineOptions> = {}) {
    const db = await getDb();
    const handler = serve({ client, functions });
    const engine = createEngine({
      db,
      transport: inProcessTransport((req) => handler(req as never, undefined)),
      signingKey,
      pollMs: 50,
      leaseMs: 5_000,
      retryBackoffMs: () => 20,
      logger: silentLogger,
      ...options,
    });
    await engine.start();
    engines.push(engine);
    return { engine, handler };
  }

  return {
    id,
    client,
    signingKey,
    start,
    fnId: (fn: string) => `${id}-${fn}`,
    async stop() {
      await Promise.all(engines.map((e) => e.stop()));
    },
  };
}

export type RunView = {
  id: string;
  function_id: string;
  status: string;
  output: string | null;
  error: { name?: string; message?: string } | null;
  attempts: number;
  replay_of: string | null;
};

export async function runsOf(functionId: string): Promise<RunView[]> {
  const db = await getDb();
  return rows<RunView>(
    db,
    sql`select id, function_id, status, output, error, attempts, replay_of from engine_runs
        where function_id = ${functionId} order by created_at, id`,
  );
}

export async function stepsOf(runId: string) {
  const db = await getDb();
  return rows<{
    step_id: string;
    name: string;
    op: string;
    status: string;
    attempt: number;
    output: string | null;
    error: unknown;
  }>(
    db,
    sql`select step_id, name, op, status, attempt, output, error from engine_steps where run_id = ${runId} order by started_at, seq`,
  );
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const FINAL = new Set(["completed", "failed", "cancelled"]);

/** Waits until `count` runs of the function have finished and returns them. */
export async function finishedRuns(functionId: string, count = 1, timeoutMs?: number) {
  return eventually(async () => {
    const runs = await runsOf(functionId);
    const done = runs.filter((r) => FINAL.has(r.status));
    return done.length >= count ? done : undefined;
  }, timeoutMs);
}

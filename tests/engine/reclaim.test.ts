import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeEach, expect, it } from "vitest";
import { getDb } from "@/db";
import { rows } from "@/lib/engine/store";
import { eventually, resetEngineTables } from "./support/harness";

/**
 * A worker SIGKILLed mid-step holds a 10-minute lease. Restarted with the same worker id it
 * reclaims its predecessor's job at once and finishes the run; a live sibling with the same id
 * keeps its job. On PGlite (one process per folder) every claim is released on start.
 */

const dir = mkdtempSync(path.join(tmpdir(), "engine-reclaim-"));
const effectsFile = path.join(dir, "effects.log");
const baseEnv: Record<string, string | undefined> = {
  ...process.env,
  EFFECTS_FILE: effectsFile,
  NODE_ENV: "test",
};
if (!process.env.DATABASE_URL) baseEnv.PGLITE_DIR = path.join(dir, "pglite");
const children: ChildProcess[] = [];

function startWorker(extra: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/engine/support/reclaim-worker.ts"], {
    env: { ...baseEnv, ...extra } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = eventually(async () => stdout.includes("ready\n"), 60_000);
  const started = () => JSON.parse(stdout.split("\n").find((l) => l.includes("engine.started")) ?? "{}");
  return { child, ready, exited, started, stderr: () => stderr };
}

const effects = () => (existsSync(effectsFile) ? readFileSync(effectsFile, "utf8").trim().split("\n") : []);

async function holdJob() {
  const db = await getDb();
  const [job] = await rows<{ claim: string; lease_s: number }>(
    db,
    sql`select j.claim, extract(epoch from j.lease_until - now())::float8 as lease_s
        from engine_jobs j join engine_runs r on r.id = j.run_id where r.function_id = 'reclaim-holder'`,
  );
  return job;
}

beforeEach(async () => {
  rmSync(effectsFile, { force: true });
  if (process.env.DATABASE_URL) await resetEngineTables();
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

it("resumes a killed worker's step at once after a restart, well before its lease ends", {
  timeout: 90_000,
}, async () => {
  const first = startWorker({ SEED: "1", WORKER_ID: "reclaim-a" });
  await first.ready;
  await eventually(async () => effects().length === 1, 30_000);
  first.child.kill("SIGKILL");
  await first.exited;
  if (process.env.DATABASE_URL) {
    // The dead process's claim is still held, for minutes: only a reclaim can resume it early.
    expect((await holdJob())?.lease_s).toBeGreaterThan(300);
  }

  const second = startWorker({ WORKER_ID: "reclaim-a", REPORT: "1" });
  expect(await second.exited, second.stderr()).toBe(0);
  expect(second.started().reclaimed).toBe(1);
  expect(effects().map((l) => l.split(" ")[0])).toEqual(["hold", "hold", "after"]);
});

it.skipIf(!process.env.DATABASE_URL)(
  "never reclaims the job of a live sibling that shares the worker id",
  { timeout: 90_000 },
  async () => {
    const first = startWorker({ SEED: "1", WORKER_ID: "reclaim-b" });
    await first.ready;
    await eventually(async () => effects().length === 1, 30_000);
    const held = await holdJob();

    const sibling = startWorker({ WORKER_ID: "reclaim-b" });
    await sibling.ready;
    expect(sibling.started().reclaimed).toBe(0);
    // The sibling had its chance to claim: the job is still the first worker's, the step ran once.
    await new Promise((r) => setTimeout(r, 500));
    expect((await holdJob())?.claim).toBe(held?.claim);
    expect(effects()).toHaveLength(1);

    first.child.kill("SIGKILL");
    sibling.child.kill("SIGKILL");
    await Promise.all([first.exited, sibling.exited]);
  },
);

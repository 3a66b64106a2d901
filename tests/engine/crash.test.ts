import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resetEngineTables } from "./support/harness";

/**
 * SIGKILL a worker process at random moments, 20 times, then let one run to the end: no run may be
 * lost and no step whose result was stored may run again. On PGlite the database is a folder that
 * each child reopens (crash recovery included); with DATABASE_URL it is the test database.
 */

const RUNS = 6;
const KILLS = 20;
const dir = mkdtempSync(path.join(tmpdir(), "engine-crash-"));
const effectsFile = path.join(dir, "effects.log");
const reportFile = path.join(dir, "report.json");
const env: Record<string, string | undefined> = {
  ...process.env,
  EFFECTS_FILE: effectsFile,
  NODE_ENV: "test",
};
if (!process.env.DATABASE_URL) env.PGLITE_DIR = path.join(dir, "pglite");

function startWorker(extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/engine/support/crash-worker.ts"], {
    env: { ...env, ...extra } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      if (String(d).includes("ready")) resolve();
    });
    exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${stderr}`)));
  });
  return { child, ready, exited, stderr: () => stderr };
}

async function kill(child: ChildProcess, exited: Promise<unknown>) {
  child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  if (process.env.DATABASE_URL) await resetEngineTables();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each worker takes 1–12 s to start on a loaded 2-core machine (tsx, the SDK, PGlite recovery).
it("loses no run and re-runs no stored step across 20 SIGKILLs", { timeout: 400_000 }, async () => {
  for (let i = 0; i < KILLS; i++) {
    const worker = startWorker(i === 0 ? { SEED: String(RUNS) } : {});
    await worker.ready;
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 700));
    await kill(worker.child, worker.exited);
  }
  const last = startWorker({ REPORT: reportFile });
  const code = await last.exited;
  expect(code, last.stderr()).toBe(0);

  const report = JSON.parse(readFileSync(reportFile, "utf8")) as {
    runs: { id: string; status: string; output: string }[];
    steps: { run_id: string; step_id: string; status: string; output: string }[];
  };
  expect(report.runs).toHaveLength(RUNS);
  expect(report.runs.map((r) => r.status)).toEqual(Array(RUNS).fill("completed"));
  for (const run of report.runs) expect(JSON.parse(run.output)).toEqual({ steps: 8, waited: null });

  // Every execution of a step body, in order. A stored result must be the last execution of its step.
  const executions = new Map<string, string[]>();
  for (const line of readFileSync(effectsFile, "utf8").trim().split("\n")) {
    const [runId, step, id] = line.split(" ");
    const key = `${runId} ${step}`;
    executions.set(key, [...(executions.get(key) ?? []), id as string]);
  }
  const effectSteps = report.steps.filter((s) => /^(s|p)\d$|^last$/.test(s.step_id));
  expect(effectSteps).toHaveLength(RUNS * 8);
  let reExecutedBeforeStore = 0;
  for (const step of effectSteps) {
    const runs = executions.get(`${step.run_id} ${step.step_id}`) ?? [];
    const stored = (JSON.parse(step.output) as { id: string }).id;
    expect(runs.at(-1), `${step.run_id} ${step.step_id} ran again after its result was stored`).toBe(stored);
    reExecutedBeforeStore += runs.length - 1;
  }

  // The sleep (1s) and the wait's timeout (2s) kept their deadlines across restarts.
  const byRun = new Map<string, Map<string, { at: number }>>();
  for (const s of effectSteps) {
    byRun.set(s.run_id, (byRun.get(s.run_id) ?? new Map()).set(s.step_id, JSON.parse(s.output)));
  }
  for (const steps of byRun.values()) {
    expect((steps.get("p0")?.at ?? 0) - (steps.get("s3")?.at ?? 0)).toBeGreaterThanOrEqual(3000);
  }
  console.info(
    `[crash] ${KILLS} kills, ${RUNS} runs completed, ${reExecutedBeforeStore} step executions interrupted before their result was stored (re-run, as expected)`,
  );
});

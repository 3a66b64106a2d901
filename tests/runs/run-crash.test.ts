import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resetEngineTables } from "@/tests/engine/support/harness";

/**
 * SIGKILL the process running a run right after a model-call step's body committed its artifact,
 * events and usage, before the engine stored the step's result; a second process re-runs the step. The run
 * must finish with each of those written once. On PGlite the database is a folder each child opens.
 */

const dir = mkdtempSync(path.join(tmpdir(), "run-crash-"));
const stateFile = path.join(dir, "state.json");
const reportFile = path.join(dir, "report.json");
const env: Record<string, string | undefined> = { ...process.env, STATE_FILE: stateFile, NODE_ENV: "test" };
if (!process.env.DATABASE_URL) env.PGLITE_DIR = path.join(dir, "pglite");

function worker(extra: Record<string, string>, base = env) {
  const child = spawn(
    process.execPath,
    ["--conditions", "react-server", "--import", "tsx", "tests/runs/support/run-crash-worker.ts"],
    { env: { ...base, ...extra } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { exited, stderr: () => stderr };
}

beforeAll(async () => {
  if (process.env.DATABASE_URL) await resetEngineTables();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(commitDir, { recursive: true, force: true });
});

type Row = Record<string, unknown> & { data?: Record<string, unknown> };

it("writes a re-run work step's artifact, events and usage once after a SIGKILL", {
  timeout: 170_000,
}, async () => {
  const first = worker({ CRASH_AFTER: "artifact" });
  const killed = await first.exited;
  expect(killed.signal, first.stderr()).toBe("SIGKILL");
  expect(existsSync(`${stateFile}.crashed`)).toBe(true);
  const crashedStep = readFileSync(`${stateFile}.crashed`, "utf8");

  const second = worker({ REPORT: reportFile });
  const done = await second.exited;
  expect(done.code, second.stderr()).toBe(0);
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as {
    run: Row;
    tasks: Row[];
    artifacts: Row[];
    events: Row[];
    calls: Row[];
  };
  expect(report.run.status).toBe("completed");
  const crashedTask = report.tasks.find((t) => crashedStep.includes(String(t.id)));
  expect(crashedTask, crashedStep).toBeDefined();
  const taskId = crashedTask?.id;
  // One artifact version for the task, announced once.
  const own = report.artifacts.filter((a) => a.taskId === taskId);
  expect(own.map((a) => a.version)).toEqual([1]);
  const saved = report.events.filter((e) => e.type === "artifact.saved" && e.data?.taskId === taskId);
  expect(saved).toHaveLength(1);
  // The task went to review once, and was reviewed once.
  const toReview = report.events.filter(
    (e) => e.type === "task.status" && e.data?.taskId === taskId && e.data?.status === "review",
  );
  expect(toReview).toHaveLength(1);
  expect(report.events.filter((e) => e.type === "review.verdict" && e.data?.taskId === taskId)).toHaveLength(
    1,
  );
  // One usage record per model call, and the run's totals are their sum.
  const usage = report.events.filter((e) => e.type === "usage");
  expect(usage).toHaveLength(report.calls.length);
  expect(report.run.inputTokens).toBe(report.calls.reduce((n, c) => n + Number(c.inputTokens), 0));
  const taskCalls = report.calls.filter((c) => c.taskId === taskId && c.agentSlug !== "reviewer");
  expect(taskCalls.length).toBeGreaterThan(0);
  expect(new Set(report.calls.map((c) => c.id)).size).toBe(report.calls.length);
  // Gap-free log.
  const seqs = report.events.map((e) => Number(e.seq)).sort((a, b) => a - b);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
});

const commitDir = mkdtempSync(path.join(tmpdir(), "run-crash-commit-"));

it("commits each accepted task once and loses none after a SIGKILL right after a commit", {
  timeout: 170_000,
}, async () => {
  const state = path.join(commitDir, "state.json");
  const reportPath = path.join(commitDir, "report.json");
  const base: Record<string, string | undefined> = { ...process.env, STATE_FILE: state, NODE_ENV: "test" };
  if (!process.env.DATABASE_URL) base.PGLITE_DIR = path.join(commitDir, "pglite");
  else await resetEngineTables();
  const first = worker({ CRASH_AFTER: "commit" }, base);
  const killed = await first.exited;
  expect(killed.signal, first.stderr()).toBe("SIGKILL");
  const crashedStep = readFileSync(`${state}.crashed`, "utf8");
  expect(crashedStep).toMatch(/^merge-/);

  const second = worker({ REPORT: reportPath }, base);
  const done = await second.exited;
  expect(done.code, second.stderr()).toBe(0);
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as {
    run: Row;
    tasks: Row[];
    events: Row[];
    commits: { sha: string; task: string }[];
    head: string;
  };
  expect(report.run.status).toBe("completed");
  // One commit per task on the branch, each the one its row points at; the branch head is the run's.
  expect(report.commits.map((c) => c.task).sort()).toEqual(report.tasks.map((t) => String(t.id)).sort());
  for (const task of report.tasks) {
    expect(task.status).toBe("done");
    expect(report.commits.find((c) => c.task === task.id)?.sha).toBe(task.commitSha);
  }
  expect(report.head).toBe(report.run.headCommit);
  const crashedTask = report.tasks.find((t) => crashedStep.includes(String(t.id)));
  expect(crashedTask, crashedStep).toBeDefined();
  const committed = report.events.filter((e) => e.type === "task.committed");
  expect(committed).toHaveLength(report.tasks.length);
  expect(committed.filter((e) => e.data?.taskId === crashedTask?.id)).toHaveLength(1);
  const seqs = report.events.map((e) => Number(e.seq)).sort((a, b) => a - b);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
});

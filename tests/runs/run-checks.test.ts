import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvals, checks } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import type { ModelResolver, RunDeps } from "@/lib/runs/execute/types";
import { resolveSandbox } from "@/lib/sandbox/resolve-sandbox";
import type { SandboxAvailability } from "@/lib/sandbox/types";
import { createTestApp, resetEngineTables } from "@/tests/engine/support/harness";
import { planOf, repoModel, type TaskScript } from "./support/repo-model";
import { createRun, driveToEnd, eventsOf, type Scope, tasksOf } from "./support/run-support";

/**
 * The gate: a task that changes code is accepted only when the project's checks pass on its
 * commit, run for real in the sandbox. A failing check sends the task back with its output,
 * before the reviewer; after the rework limit a person decides with the failing log. The run
 * branch is checked once more at the end.
 */

let resolver: ModelResolver;
let sandbox: () => Promise<SandboxAvailability> = () => resolveSandbox();
let runStep: Required<RunDeps>["runStep"] = (_id, body) => body();
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: (...args) => resolver(...args),
  sandbox: () => sandbox(),
  runStep: (id, body) => runStep(id, body),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  approvalPolls: 30,
  modelCallTimeoutMs: 20_000,
});

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(() => app.stop());

const PACKAGE = JSON.stringify({
  name: "sum",
  private: true,
  type: "module",
  scripts: { test: "node --test" },
});
const BUGGY = "export const sum = (a, b) => a - b;\n";
const TEST = `import test from "node:test";
import assert from "node:assert/strict";
import { sum } from "../src/sum.js";
test("adds two numbers", () => assert.equal(sum(2, 3), 5));
test("adds zero", () => assert.equal(sum(0, 0), 0));
`;

/** Attempt 1 writes a real bug its own test catches; a rework (with the failing output) fixes it. */
const buggyThenFixed =
  (fixOnAttempt: number | null): TaskScript =>
  ({ attempt, results }) => {
    if (results.length) return null;
    if (attempt === 1) {
      return [
        { toolName: "write_file", input: { path: "package.json", content: PACKAGE } },
        { toolName: "write_file", input: { path: "src/sum.js", content: BUGGY } },
        { toolName: "write_file", input: { path: "test/sum.test.js", content: TEST } },
      ];
    }
    if (fixOnAttempt !== null && attempt >= fixOnAttempt) {
      return [{ toolName: "edit_file", input: { path: "src/sum.js", oldText: "a - b", newText: "a + b" } }];
    }
    return null;
  };

async function approve(scope: Scope, approvalId: string) {
  const db = await getDb();
  await db
    .update(approvals)
    .set({ status: "approved", decidedAt: new Date() })
    .where(eq(approvals.id, approvalId));
  await app.client.send(
    approvalDecided.create({ ...scope, approvalId, decision: "approved", comment: null }),
  );
}

async function runToEnd(script: TaskScript) {
  const plan = planOf([{ key: "impl" }]);
  const feedback: { attempt: number; feedback: string[] }[] = [];
  resolver = repoModel(plan, (c) => {
    if (!c.results.length) feedback.push({ attempt: c.attempt, feedback: c.feedback });
    return script(c);
  });
  const created = await createRun({ template: "feature-build" });
  await app.client.send(runRequested.create(created.scope));
  const run = await driveToEnd(created.scope, approve, 120_000);
  const db = await getDb();
  const rows = await db
    .select()
    .from(checks)
    .where(eq(checks.runId, created.run.id))
    .orderBy(checks.createdAt);
  return { ...created, run, rows, feedback };
}

describe("checks gate the work", () => {
  it("sends a failing commit back with the real output, accepts the fix, and checks the branch", async () => {
    const { run, rows, feedback, scope } = await runToEnd(buggyThenFixed(2));
    expect(run.status).toBe("completed");
    const gate = rows.filter((r) => r.scope === "task");
    expect(gate.map((r) => [r.attempt, r.kind, r.status])).toEqual([
      [1, "test", "failed"],
      [2, "test", "passed"],
    ]);
    const [red, green] = gate;
    expect(red?.command).toBe("npm test");
    expect(red?.counts).toMatchObject({ passed: 1, failed: 1, total: 2 });
    expect(red?.log).toContain("not ok");
    expect(red?.driver).not.toBe("none");
    expect(green?.counts).toMatchObject({ passed: 2, failed: 0 });
    expect(red?.commitSha).not.toBe(green?.commitSha);
    // The rework was asked with the failing output, before any reviewer verdict on attempt 1.
    const second = feedback.find((f) => f.attempt === 2);
    expect(second?.feedback.join("\n")).toContain("The checks failed on your commit");
    expect(second?.feedback.join("\n")).toContain("test `npm test`: failed — 1 passed, 1 failed");
    const events = await eventsOf(scope.runId);
    const verdicts = events
      .filter((e) => e.type === "review.verdict")
      .map((e) => (e.data as { attempt: number }).attempt);
    expect(verdicts).toEqual([2]);
    // The output streamed to the feed as it came, and each check was announced.
    expect(events.filter((e) => e.type === "command.started").length).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.type === "command.output")).toBe(true);
    expect(events.filter((e) => e.type === "check.recorded")).toHaveLength(3);
    // The merged branch is checked once more: green, and the final reason says so.
    const branch = rows.filter((r) => r.scope === "branch");
    expect(branch.map((r) => [r.kind, r.status])).toEqual([["test", "passed"]]);
    expect(branch[0]?.commitSha).toBe(run.headCommit);
    expect(run.statusReason).toContain("The run branch is green");
    const [task] = await tasksOf(scope.runId);
    expect(task?.status).toBe("done");
    expect(task?.attempts).toBe(2);
  });

  it("escalates to a person with the failing log after the rework limit", async () => {
    const { run, rows, scope } = await runToEnd(buggyThenFixed(null));
    const db = await getDb();
    const [escalation] = await db.select().from(approvals).where(eq(approvals.runId, scope.runId));
    expect(escalation?.title).toMatch(/^Checks failed: /);
    expect(escalation?.prompt).toContain("not ok");
    expect(rows.filter((r) => r.scope === "task").map((r) => r.status)).toEqual([
      "failed",
      "failed",
      "failed",
    ]);
    // Approved as it is: merged, and the branch is red.
    expect(run.status).toBe("completed");
    expect(run.statusReason).toContain("The run branch is red");
  });

  it("goes on without execution, labelled, on a host with no sandbox", async () => {
    sandbox = async () => ({
      available: false,
      reason: `${NO_SANDBOX_MESSAGE} (neither was found on this host).`,
    });
    try {
      const { run, rows, scope } = await runToEnd(buggyThenFixed(2));
      expect(run.status).toBe("completed");
      expect(rows.every((r) => r.status === "skipped" && r.driver === "none")).toBe(true);
      const events = await eventsOf(scope.runId);
      expect(events.filter((e) => e.type === "sandbox.unavailable")).toHaveLength(1);
      expect(run.statusReason).toContain("not checked");
    } finally {
      sandbox = () => resolveSandbox();
    }
  });

  it("re-runs a check killed mid-way and never records two results for one attempt", async () => {
    // Every check step runs twice (at-least-once), and the first run of each dies after its
    // checks committed, before the step's result was stored.
    const seen = new Set<string>();
    runStep = async (id, body) => {
      if (id.startsWith("check-") || id === "branch-checks") {
        if (!seen.has(id)) {
          seen.add(id);
          await body();
          throw new Error("killed after the check committed");
        }
      }
      return body();
    };
    // And the very first command dies mid-way (the process killed while the check ran).
    let commands = 0;
    sandbox = async () => {
      const real = await resolveSandbox();
      if (!real.available) return real;
      const driver = real.driver;
      return {
        ...real,
        driver: {
          name: driver.name,
          run: async (request) => {
            commands++;
            if (commands === 1) throw new Error("killed while the check ran");
            return driver.run(request);
          },
        },
      };
    };
    try {
      const { run, rows } = await runToEnd(buggyThenFixed(2));
      expect(run.status).toBe("completed");
      const keys = rows.map((r) => `${r.scope}:${r.attempt}:${r.kind}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual(["task:1:test", "task:2:test", "branch:null:test"]);
      // The killed check ran again; the ones that had committed did not.
      expect(commands).toBe(4);
    } finally {
      runStep = (_id, body) => body();
      sandbox = () => resolveSandbox();
    }
  });

  it("lets agents run commands and the checks in their working tree, streamed, stored once per call", async () => {
    // Every model call step runs twice: the checks it stored are found, not run again.
    runStep = async (id, body) => {
      if (/-call-\d+$/.test(id)) await body();
      return body();
    };
    const script: TaskScript = ({ attempt, results }) => {
      if (attempt !== 1) return null;
      if (results.length === 0) {
        return [
          { toolName: "write_file", input: { path: "package.json", content: PACKAGE } },
          { toolName: "write_file", input: { path: "src/sum.js", content: BUGGY } },
          { toolName: "write_file", input: { path: "test/sum.test.js", content: TEST } },
        ];
      }
      if (results.length === 3)
        return [{ toolName: "run_command", input: { command: "ls src test && node --test" } }];
      if (results.length === 4) return [{ toolName: "run_checks", input: {} }];
      if (results.length === 5) {
        const checked = results[4]?.output as { passed: boolean };
        if (checked.passed) return null;
        return [{ toolName: "edit_file", input: { path: "src/sum.js", oldText: "a - b", newText: "a + b" } }];
      }
      if (results.length === 6) return [{ toolName: "run_checks", input: { only: ["test"] } }];
      return null;
    };
    const outputs: unknown[] = [];
    try {
      const { run, rows, scope } = await runToEnd((c) => {
        if (c.results.length) outputs.splice(0, outputs.length, ...c.results.map((r) => r.output));
        return script(c);
      });
      expect(run.status).toBe("completed");
      const command = outputs[3] as { exitCode: number; output: string };
      expect(command.exitCode).toBe(1);
      expect(command.output).toContain("sum.js");
      expect(command.output).toContain("# fail 1");
      const first = outputs[4] as {
        passed: boolean;
        checks: { status: string; counts: { failed: number } }[];
      };
      expect(first.passed).toBe(false);
      expect(first.checks[0]?.counts.failed).toBe(1);
      expect((outputs[6] as { passed: boolean }).passed).toBe(true);
      const agent = rows.filter((r) => r.scope === "agent");
      expect(agent.map((r) => [r.attempt, r.kind, r.status])).toEqual([
        [1, "test", "failed"],
        [1, "test", "passed"],
      ]);
      // The gate then finds the fixed commit green at once.
      expect(rows.filter((r) => r.scope === "task").map((r) => r.status)).toEqual(["passed"]);
      const events = await eventsOf(scope.runId);
      const started = events
        .filter((e) => e.type === "command.started")
        .map((e) => e.data as { purpose: string; command: string });
      expect(started.some((s) => s.purpose === "command" && s.command === "ls src test && node --test")).toBe(
        true,
      );
      const output = events
        .filter((e) => e.type === "command.output")
        .map((e) => (e.data as { chunk: string }).chunk)
        .join("");
      expect(output).toContain("# pass");
    } finally {
      runStep = (_id, body) => body();
    }
  });
});

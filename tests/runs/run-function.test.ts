import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvals, artifacts, modelCalls, runs } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import type { ModelResolver, RunDeps } from "@/lib/runs/execute/types";
import { createTestApp, resetEngineTables } from "@/tests/engine/support/harness";
import {
  createRun,
  demo,
  driveToEnd,
  eventsOf,
  failing,
  runRow,
  type Scope,
  tasksOf,
} from "./support/run-support";

/**
 * The run function under at-least-once execution and provider failures: every step body may run
 * again, and whatever fails, the run ends with a readable reason and its final event.
 */

let resolver: ModelResolver = demo();
let runStep: Required<RunDeps>["runStep"] = (_id, body) => body();
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: (...args) => resolver(...args),
  runStep: (id, body) => runStep(id, body),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  approvalPolls: 30,
});

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(() => app.stop());

const request = (scope: Scope) => app.client.send(runRequested.create(scope));

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

/** What a run wrote, reduced to the things a duplicate would change. */
async function footprint(runId: string) {
  const db = await getDb();
  const events = await eventsOf(runId);
  const arts = await db.select().from(artifacts).where(eq(artifacts.runId, runId));
  const calls = await db.select().from(modelCalls).where(eq(modelCalls.runId, runId));
  const gates = await db.select().from(approvals).where(eq(approvals.runId, runId));
  const count = (type: string) => events.filter((e) => e.type === type).length;
  return {
    seqs: events.map((e) => e.seq),
    artifacts: arts.length,
    artifactEvents: count("artifact.saved"),
    distinctArtifactEvents: new Set(
      events.filter((e) => e.type === "artifact.saved").map((e) => e.data.artifactId),
    ).size,
    calls: calls.length,
    usageEvents: count("usage"),
    approvals: gates.length,
    approvalEvents: count("approval.requested"),
    verdicts: count("review.verdict"),
    plans: count("run.plan"),
    finalEvents: events.filter((e) => e.type === "run.status" && e.data.status === "completed").length,
    reviewTransitions: events.filter((e) => e.type === "task.status" && e.data.status === "review").length,
  };
}

describe("run function, every step body run twice", () => {
  it("ends the run and writes every effect once when each step body runs a second time", async () => {
    resolver = demo();
    runStep = async (_id, body) => {
      await body();
      return body();
    };
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope, approve);
    runStep = (_id, body) => body();
    expect(run.status).toBe("completed");
    const tasks = await tasksOf(scope.runId);
    expect(tasks.every((t) => t.status === "done")).toBe(true);
    const f = await footprint(scope.runId);
    expect(f.seqs).toEqual(f.seqs.map((_, i) => i + 1));
    expect(f.artifacts).toBe(tasks.length + 1); // one per task, plus the summary
    expect(f.artifactEvents).toBe(f.artifacts);
    expect(f.distinctArtifactEvents).toBe(f.artifacts);
    expect(f.usageEvents).toBe(f.calls);
    expect(f.approvals).toBe(tasks.filter((t) => t.needsApproval).length);
    expect(f.approvalEvents).toBe(f.approvals);
    expect(f.verdicts).toBe(tasks.length);
    expect(f.reviewTransitions).toBe(tasks.length);
    expect(f.plans).toBe(1);
    expect(f.finalEvents).toBe(1);
    const db = await getDb();
    const calls = await db.select().from(modelCalls).where(eq(modelCalls.runId, scope.runId));
    expect(run.inputTokens).toBe(calls.reduce((n, c) => n + c.inputTokens, 0));
  }, 120_000);
});

describe("run function, provider failures", () => {
  it("fails a run whose planning call is refused, with a readable reason, and frees its slot", async () => {
    resolver = failing("plan", 401);
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope, approve, 30_000);
    expect(run.status).toBe("failed");
    expect(run.statusReason).toBe("Planning failed: The model provider refused the API key (401).");
    expect(run.finishedAt).not.toBeNull();
    const last = (await eventsOf(scope.runId)).at(-1);
    expect(last).toMatchObject({ type: "run.status", data: { status: "failed", reason: run.statusReason } });
    expect(JSON.stringify(await eventsOf(scope.runId))).not.toContain("secret internals");
  }, 60_000);

  it("fails a task whose agent's calls are rate-limited, and the run with it, without internals", async () => {
    resolver = failing("task", 429);
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope, approve, 60_000);
    expect(run.status).toBe("failed");
    const [first] = await tasksOf(scope.runId);
    expect(first?.status).toBe("failed");
    expect(first?.statusReason).toBe(
      "The agent could not finish: The model provider is limiting requests (429); the run stopped after retrying.",
    );
    expect(JSON.stringify(await eventsOf(scope.runId))).not.toContain("secret internals");
    expect((await eventsOf(scope.runId)).at(-1)).toMatchObject({
      type: "run.status",
      data: { status: "failed" },
    });
  }, 90_000);

  it("completes a run whose summary the provider refuses, saying the summary is missing", async () => {
    resolver = failing("summary", 500);
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope, approve);
    expect(run.status).toBe("completed");
    expect(run.statusReason).toBe(
      "The summary could not be written: The model provider failed (500); the run stopped after retrying.",
    );
    expect((await eventsOf(scope.runId)).at(-1)).toMatchObject({
      type: "run.status",
      data: { status: "completed" },
    });
  }, 120_000);

  it("ends the run through the failure handler when a step keeps failing outside any task", async () => {
    resolver = demo();
    runStep = async (id, body) => {
      if (id === "schedule-0")
        throw new Error("connection terminated unexpectedly (select * from run_tasks)");
      return body();
    };
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope, approve, 60_000);
    runStep = (_id, body) => body();
    expect(run.status).toBe("failed");
    expect(run.statusReason).toBe("The step stopped on an unexpected error.");
    expect((await eventsOf(scope.runId)).at(-1)).toMatchObject({
      type: "run.status",
      data: { status: "failed", reason: run.statusReason },
    });
    const db = await getDb();
    const [row] = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, scope.runId));
    expect(row?.status).not.toBe("running");
    expect(await runRow(scope.runId)).toMatchObject({ status: "failed" });
  }, 90_000);
});

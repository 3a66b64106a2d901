import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvals, artifacts, modelCalls, orgAiSettings, runs, runTasks } from "@/db/schema";
import { ARCHITECTURE_OVERVIEW_SECTIONS, missingSections } from "@/lib/agents/artifact-kinds";
import { createDemoModel } from "@/lib/ai/demo-model";
import type { ModelResolver } from "@/lib/runs/execute/types";
import { getRunTemplate } from "@/lib/runs/templates";
import { createTestApp, eventually, resetEngineTables, runsOf } from "@/tests/engine/support/harness";
import {
  type CallOptions,
  createRun,
  demo,
  eventsOf,
  FINAL,
  must,
  runRow,
  tasksOf,
  type V4,
} from "@/tests/runs/support/run-support";
import { createTeam } from "@/tests/support/factories";
import { approvalDecided, runCancelRequested, runRequested } from "../events";
import { createAgentRunFunction } from "./agent-run";

/** Which model a test's runs use, switched per test (the function is registered once). */
let resolver: ModelResolver = demo();
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: (...args) => resolver(...args),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  approvalPolls: 30,
});

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(() => app.stop());

const request = (scope: { orgId: string; runId: string }) => app.client.send(runRequested.create(scope));

/** Decides pending approvals as decideApproval does: the row first, then the event. */
async function decide(
  scope: { orgId: string; runId: string },
  decision: "approved" | "rejected",
  comment: string | null = null,
) {
  const db = await getDb();
  const pending = await db
    .select()
    .from(approvals)
    .where(and(eq(approvals.runId, scope.runId), eq(approvals.status, "pending")));
  for (const a of pending) {
    await db
      .update(approvals)
      .set({ status: decision, comment, decidedAt: new Date() })
      .where(eq(approvals.id, a.id));
    await app.client.send(approvalDecided.create({ ...scope, approvalId: a.id, decision, comment }));
  }
  return pending;
}

/** Approves every gate as it appears until the run ends. */
async function driveToEnd(
  scope: { orgId: string; runId: string },
  decision: "approved" | "rejected" = "approved",
  timeoutMs = 60_000,
) {
  return eventually(async () => {
    const row = await runRow(scope.runId);
    if (FINAL.includes(row.status)) return row;
    await decide(scope, decision, decision === "rejected" ? "Not what we need." : null);
    return undefined;
  }, timeoutMs);
}

describe("agent run", () => {
  it("runs a technical architecture overview to completion through its approval gate", async () => {
    resolver = demo();
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope);
    expect(run.status).toBe("completed");
    expect(run.finishedAt).not.toBeNull();

    const tasks = await tasksOf(scope.runId);
    expect(tasks.map((t) => t.key)).toEqual(
      getRunTemplate("technical-architecture-overview")?.referencePlan.phases.flatMap((p) =>
        p.tasks.map((t) => t.key),
      ),
    );
    expect(tasks.every((t) => t.status === "done")).toBe(true);
    expect(tasks.find((t) => t.key === "architecture-overview")?.needsApproval).toBe(true);

    const db = await getDb();
    const docs = await db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.runId, scope.runId), eq(artifacts.kind, "architecture_overview")));
    expect(docs).toHaveLength(1);
    expect(missingSections("architecture_overview", must(docs[0]).content)).toEqual([]);
    const headings = must(docs[0])
      .content.split("\n")
      .filter((l) => l.startsWith("## "));
    expect(headings).toEqual(ARCHITECTURE_OVERVIEW_SECTIONS.map((s) => `## ${s}`));
    expect(run.summaryArtifactId).not.toBeNull();
    const [summary] = await db
      .select()
      .from(artifacts)
      .where(eq(artifacts.id, must(run.summaryArtifactId)));
    expect(summary?.kind).toBe("run_summary");

    const events = await eventsOf(scope.runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { status: "completed" } });
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      "run.plan",
      "agent.delta",
      "agent.tool-call",
      "agent.tool-result",
      "artifact.saved",
      "review.verdict",
      "approval.requested",
      "approval.resolved",
      "usage",
    ]) {
      expect(types, t).toContain(t);
    }
    // Streamed text is batched, not a row per token.
    const deltas = events.filter((e) => e.type === "agent.delta");
    const chars = deltas.reduce((n, e) => n + String(e.data.delta).length, 0);
    expect(chars / deltas.length).toBeGreaterThan(20);

    // Usage per call, summed on the run.
    const calls = await db.select().from(modelCalls).where(eq(modelCalls.runId, scope.runId));
    expect(calls.length).toBeGreaterThan(8);
    expect(run.inputTokens).toBe(calls.reduce((n, c) => n + c.inputTokens, 0));
    expect(run.outputTokens).toBe(calls.reduce((n, c) => n + c.outputTokens, 0));
    expect(new Set(calls.map((c) => c.agentSlug))).toContain("reviewer");
    expect(run.agentVersions).toMatchObject({ orchestrator: 0, reviewer: 0, "system-architect": 0 });
  });

  it("re-asks the orchestrator with the validation feedback when its plan is invalid", async () => {
    const prompts: string[] = [];
    const inner = createDemoModel({ chunkDelayMs: 0 });
    let planCalls = 0;
    const model: V4 = {
      specificationVersion: "v4",
      provider: inner.provider,
      modelId: inner.modelId,
      supportedUrls: {},
      doStream: (o) => inner.doStream(o),
      async doGenerate(o: CallOptions) {
        const text = JSON.stringify(o.prompt);
        if (text.includes("Purpose: plan")) {
          planCalls++;
          prompts.push(text);
          if (planCalls === 1) {
            const result = await inner.doGenerate(o);
            const first = result.content[0];
            const plan = JSON.parse(first?.type === "text" ? first.text : "{}");
            plan.phases[0].tasks[0].dependsOn = ["security-review"];
            plan.phases[1].tasks[0].agent = "wizard";
            return { ...result, content: [{ type: "text", text: JSON.stringify(plan) }] };
          }
        }
        return inner.doGenerate(o);
      },
    };
    resolver = async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true });
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope);
    expect(run.status).toBe("completed");
    expect(planCalls).toBe(2);
    expect(prompts[1]).toContain("Your plan was rejected");
    expect(prompts[1]).toContain("Dependency cycle");
    expect(prompts[1]).toContain('unknown agent \\"wizard\\"');
    const tasks = await tasksOf(scope.runId);
    expect(tasks.find((t) => t.key === "architecture-drivers")?.dependsOn).toEqual([]);
  });

  it("runs independent tasks in parallel and each only after its dependencies are done", async () => {
    resolver = demo({ chunkDelayMs: 1 });
    const { scope } = await createRun({ template: "product-requirements" });
    await request(scope);
    expect((await driveToEnd(scope)).status).toBe("completed");
    const tasks = await tasksOf(scope.runId);
    const keyOf = new Map(tasks.map((t) => [t.id, t.key]));
    const events = await eventsOf(scope.runId);
    const startedAt = new Map<string, number>();
    const doneAt = new Map<string, number>();
    for (const e of events) {
      if (e.type !== "task.status") continue;
      const key = must(keyOf.get(String(e.data.taskId)));
      if (e.data.status === "in_progress" && !startedAt.has(key)) startedAt.set(key, e.seq);
      if (e.data.status === "done") doneAt.set(key, e.seq);
    }
    for (const t of tasks) {
      for (const dep of t.dependsOn)
        expect(must(startedAt.get(t.key)), `${t.key} after ${dep}`).toBeGreaterThan(must(doneAt.get(dep)));
    }
    // The three discovery tasks were all started before any of them finished.
    const discovery = ["requirements-brief", "market-analysis", "user-research"];
    const lastStart = Math.max(...discovery.map((k) => must(startedAt.get(k))));
    const firstDone = Math.min(...discovery.map((k) => must(doneAt.get(k))));
    expect(lastStart).toBeLessThan(firstDone);
    // Eight tasks, each streamed chunk by chunk: slower than 30 s on a loaded machine.
  }, 90_000);

  it("sends a failed review back with its reasons, then passes the rework", async () => {
    resolver = demo({ reviewFailureRate: 1 });
    const { scope } = await createRun();
    await request(scope);
    expect((await driveToEnd(scope)).status).toBe("completed");
    const events = await eventsOf(scope.runId);
    const verdicts = events.filter((e) => e.type === "review.verdict");
    expect(verdicts.filter((v) => v.data.verdict === "fail").length).toBe(4);
    expect(verdicts.filter((v) => v.data.verdict === "pass").length).toBe(4);
    const tasks = await tasksOf(scope.runId);
    expect(tasks.every((t) => t.attempts === 2)).toBe(true);
    const db = await getDb();
    const overview = await db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.runId, scope.runId), eq(artifacts.kind, "architecture_overview")));
    expect(overview.map((a) => a.version).sort()).toEqual([1, 2]);
  });

  it("escalates to a person after two failed reworks; a rejection fails the task and the run", async () => {
    const inner = createDemoModel({ chunkDelayMs: 0 });
    const model: V4 = {
      specificationVersion: "v4",
      provider: inner.provider,
      modelId: inner.modelId,
      supportedUrls: {},
      doStream: (o) => inner.doStream(o),
      async doGenerate(o: CallOptions) {
        if (JSON.stringify(o.prompt).includes("Purpose: review")) {
          const verdict = {
            verdict: "fail",
            summary: "Not there yet.",
            criteria: [],
            reasons: ["Add concrete numbers."],
          };
          return {
            ...(await inner.doGenerate(o)),
            content: [{ type: "text", text: JSON.stringify(verdict) }],
          };
        }
        return inner.doGenerate(o);
      },
    };
    resolver = async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true });
    const { scope } = await createRun();
    await request(scope);
    const escalated = await eventually(async () => {
      const db = await getDb();
      const rows = await db
        .select()
        .from(approvals)
        .where(and(eq(approvals.runId, scope.runId), eq(approvals.status, "pending")));
      return rows.length ? rows : undefined;
    }, 30_000);
    expect(escalated[0]?.title).toMatch(/^Review failed: /);
    expect(escalated[0]?.prompt).toContain("Add concrete numbers.");
    const run = await driveToEnd(scope, "rejected");
    expect(run.status).toBe("failed");
    const [first, ...rest] = await tasksOf(scope.runId);
    expect(first).toMatchObject({
      status: "failed",
      attempts: 3,
      statusReason: "Rejected: Not what we need.",
    });
    expect(rest.every((t) => t.status === "todo")).toBe(true);
    const verdicts = (await eventsOf(scope.runId)).filter((e) => e.type === "review.verdict");
    expect(verdicts.map((v) => v.data.attempt)).toEqual([1, 2, 3]);
  });

  it("stops at the token budget and resumes where it stopped once the budget is raised", async () => {
    resolver = demo();
    const { scope } = await createRun({ budget: 25_000 });
    await request(scope);
    const stopped = await driveToEnd(scope);
    expect(stopped.status).toBe("budget_exhausted");
    expect(stopped.inputTokens + stopped.outputTokens).toBeGreaterThanOrEqual(25_000);
    const before = await tasksOf(scope.runId);
    const doneBefore = before.filter((t) => t.status === "done");
    expect(before.some((t) => t.status !== "done")).toBe(true);
    expect((await eventsOf(scope.runId)).at(-1)).toMatchObject({
      type: "run.status",
      data: { status: "budget_exhausted" },
    });

    const db = await getDb();
    await db.update(runs).set({ tokenBudget: 5_000_000, status: "queued" }).where(eq(runs.id, scope.runId));
    await request(scope);
    const resumed = await driveToEnd(scope);
    expect(resumed.status).toBe("completed");
    const after = await tasksOf(scope.runId);
    for (const t of doneBefore) expect(after.find((a) => a.id === t.id)?.finishedAt).toEqual(t.finishedAt);
    // The plan was not made again.
    const plans = (await eventsOf(scope.runId)).filter((e) => e.type === "run.plan");
    expect(plans).toHaveLength(1);
  });

  it("stops streaming when the run is cancelled mid-task", async () => {
    resolver = demo({ chunkDelayMs: 15 });
    const { scope } = await createRun();
    await request(scope);
    await eventually(
      async () => (await eventsOf(scope.runId)).some((e) => e.type === "agent.delta" && e.data.taskId),
      30_000,
    );
    // What cancelRun does: the run and its open tasks cancelled, the event, then the signal.
    const db = await getDb();
    await db.transaction(async (tx) => {
      await tx
        .update(runs)
        .set({ status: "cancelled", finishedAt: new Date() })
        .where(eq(runs.id, scope.runId));
      await tx
        .update(runTasks)
        .set({ status: "cancelled" })
        .where(
          and(
            eq(runTasks.runId, scope.runId),
            inArray(runTasks.status, ["todo", "in_progress", "review", "blocked"]),
          ),
        );
    });
    await app.client.send(runCancelRequested.create(scope));
    const [engineRun] = await eventually(async () => {
      const all = await runsOf(app.fnId("agent-run"));
      const mine = all.filter((r) => r.status === "cancelled" || r.status === "completed");
      return mine.length ? mine : undefined;
    });
    expect(engineRun).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    const count = (await eventsOf(scope.runId)).length;
    await new Promise((r) => setTimeout(r, 500));
    expect((await eventsOf(scope.runId)).length).toBe(count);
    expect((await runRow(scope.runId)).status).toBe("cancelled");
    expect((await tasksOf(scope.runId)).some((t) => t.status === "done")).toBe(false);
  });

  it("keeps an organization to its number of runs at a time, while other organizations proceed", async () => {
    resolver = demo();
    const team = await createTeam();
    const db = await getDb();
    await db.insert(orgAiSettings).values({ orgId: team.org.id, maxConcurrentRuns: 1 });
    const a = await createRun({ team });
    const b = await createRun({ team });
    const other = await createRun();
    let maxActive = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [{ n } = { n: 0 }] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(runs)
          .where(and(eq(runs.orgId, team.org.id), inArray(runs.status, ["planning", "running"])));
        maxActive = Math.max(maxActive, Number(n));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await Promise.all([request(a.scope), request(b.scope), request(other.scope)]);
    const ends = await Promise.all([driveToEnd(a.scope), driveToEnd(b.scope), driveToEnd(other.scope)]);
    sampling = false;
    await sampler;
    expect(ends.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
    expect(maxActive).toBe(1);
  }, 120_000);
});

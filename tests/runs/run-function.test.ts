import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agentVersions, approvals, artifacts, modelCalls, runs } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { listBuiltinAgents } from "@/lib/agents/catalog";
import { createDemoModel } from "@/lib/ai/demo-model";
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
  type V4,
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
  modelCallTimeoutMs: 8_000,
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
    expect(run.statusReason).toBe(
      "Planning failed: The model provider refused the API key (401). Check the key in the AI settings.",
    );
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
      "The agent could not finish: The model provider is rate limiting requests (429).",
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
      "The summary could not be written: The model provider had a server error (500).",
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

describe("run function, agent versions", () => {
  it("keeps using the agent versions it pinned when an agent is edited mid-run", async () => {
    const { team, scope } = await createRun();
    const db = await getDb();
    const builtin = listBuiltinAgents().find((a) => a.slug === "system-architect");
    if (!builtin) throw new Error("no built-in system-architect");
    const version = (n: number) => ({
      orgId: team.org.id,
      slug: "system-architect",
      version: n,
      definition: { ...builtin, systemPrompt: `${builtin.systemPrompt}\nPINNED-PROMPT-V${n}` },
    });
    await db.insert(agentVersions).values(version(1));

    const prompts: string[] = [];
    const inner = createDemoModel({ chunkDelayMs: 0 });
    const capture = (o: { prompt: unknown }) => {
      const text = JSON.stringify(o.prompt);
      if (text.includes("Purpose: task") && text.includes("Agent: system-architect")) prompts.push(text);
    };
    const model: V4 = {
      specificationVersion: "v4",
      provider: inner.provider,
      modelId: inner.modelId,
      supportedUrls: {},
      doStream: (o) => {
        capture(o);
        return inner.doStream(o);
      },
      doGenerate: (o) => {
        capture(o);
        return inner.doGenerate(o);
      },
    };
    resolver = async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true });
    // The edit lands right after the plan is stored, before any task starts.
    runStep = async (id, body) => {
      const result = await body();
      if (id === "store-plan") await db.insert(agentVersions).values(version(2)).onConflictDoNothing();
      return result;
    };
    await request(scope);
    const run = await driveToEnd(scope, approve);
    runStep = (_id, body) => body();
    expect(run.status).toBe("completed");
    expect(prompts.length).toBeGreaterThan(0);
    for (const p of prompts) {
      expect(p).toContain("PINNED-PROMPT-V1");
      expect(p).not.toContain("PINNED-PROMPT-V2");
    }
    expect(run.agentVersions["system-architect"]).toBe(1);
  }, 120_000);
});

describe("run function, one step per model call", () => {
  it("drives each model call as its own step and streams documents to the feed as they are written", async () => {
    // A few ms per chunk, so the document streams over time as a provider's would.
    resolver = demo({ chunkDelayMs: 2 });
    const ids: string[] = [];
    runStep = (id, body) => {
      ids.push(id);
      return body();
    };
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope, approve);
    runStep = (_id, body) => body();
    expect(run.status).toBe("completed");
    const calls = ids.filter((id) => /^work-r\d+-[0-9a-f-]+-a\d+-call-\d+$/.test(id));
    const attempts = new Set(calls.map((id) => id.replace(/-call-\d+$/, "")));
    const tasks = await tasksOf(scope.runId);
    expect(attempts.size).toBe(tasks.length);
    // Each attempt took more than one call (tools, then the closing message), each its own step.
    for (const attempt of attempts)
      expect(calls.filter((c) => c.startsWith(`${attempt}-call-`)).length).toBeGreaterThan(1);
    const db = await getDb();
    const stored = await db.select().from(modelCalls).where(eq(modelCalls.runId, scope.runId));
    const taskCalls = stored.filter((c) => c.taskId && c.agentSlug !== "reviewer");
    expect(taskCalls.length).toBe(calls.length);

    // The document's text reached the feed while it was being written, before it was saved.
    const [doc] = await db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.runId, scope.runId), eq(artifacts.kind, "architecture_overview")));
    const events = await eventsOf(scope.runId);
    const savedAt =
      events.find((e) => e.type === "artifact.saved" && e.data.kind === "architecture_overview")?.seq ?? 0;
    const deltas = events.filter((e) => e.type === "agent.delta" && e.data.taskId === doc?.taskId);
    expect(deltas.map((e) => String(e.data.delta)).join("")).toContain(String(doc?.content));
    const heading = String(doc?.content).split("\n")[0] as string;
    const beforeSave = deltas
      .filter((e) => e.seq < savedAt)
      .map((e) => String(e.data.delta))
      .join("");
    expect(beforeSave).toContain(heading);
  }, 120_000);

  it("aborts a model call that does not answer within the call timeout and fails the task", async () => {
    const inner = createDemoModel({ chunkDelayMs: 0 });
    const hang = (o: { prompt: unknown; abortSignal?: AbortSignal }) =>
      JSON.stringify(o.prompt).includes("Purpose: task")
        ? new Promise<never>((_, reject) =>
            o.abortSignal?.addEventListener("abort", () => reject(o.abortSignal?.reason)),
          )
        : null;
    const model: V4 = {
      specificationVersion: "v4",
      provider: inner.provider,
      modelId: inner.modelId,
      supportedUrls: {},
      doStream: (o) => hang(o) ?? inner.doStream(o),
      doGenerate: (o) => inner.doGenerate(o),
    };
    resolver = async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true });
    const { scope } = await createRun();
    const started = Date.now();
    await request(scope);
    const run = await driveToEnd(scope, approve, 60_000);
    expect(run.status).toBe("failed");
    const [first] = await tasksOf(scope.runId);
    expect(first?.statusReason).toBe("The agent could not finish: The model did not answer in time.");
    // Three tries of an 8 s call, not a hung step.
    expect(Date.now() - started).toBeLessThan(55_000);
  }, 90_000);
});

describe("run function, scheduling", () => {
  it("starts a task as soon as its dependencies are done, without waiting for the rest of the batch", async () => {
    const inner = createDemoModel({ chunkDelayMs: 0 });
    const model: V4 = {
      specificationVersion: "v4",
      provider: inner.provider,
      modelId: inner.modelId,
      supportedUrls: {},
      async doStream(o) {
        // The drivers' agent is slow; the evaluation and what depends on it need not wait for it.
        if (JSON.stringify(o.prompt).includes("Agent: requirements-elicitor")) {
          await new Promise((r) => setTimeout(r, 3_500));
        }
        return inner.doStream(o);
      },
      async doGenerate(o) {
        const result = await inner.doGenerate(o);
        if (!JSON.stringify(o.prompt).includes("Purpose: plan")) return result;
        const first = result.content[0];
        const plan = JSON.parse(first?.type === "text" ? first.text : "{}");
        for (const phase of plan.phases) {
          for (const task of phase.tasks) {
            if (task.key === "technology-evaluation") task.dependsOn = [];
            if (task.key === "architecture-overview") task.dependsOn = ["technology-evaluation"];
          }
        }
        return { ...result, content: [{ type: "text", text: JSON.stringify(plan) }] };
      },
    };
    resolver = async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true });
    const { scope } = await createRun();
    await request(scope);
    const run = await driveToEnd(scope, approve);
    expect(run.status).toBe("completed");
    const tasks = await tasksOf(scope.runId);
    const idOf = (key: string) => tasks.find((t) => t.key === key)?.id;
    const events = await eventsOf(scope.runId);
    const seqOf = (key: string, status: string) =>
      events.find((e) => e.type === "task.status" && e.data.taskId === idOf(key) && e.data.status === status)
        ?.seq ?? Number.POSITIVE_INFINITY;
    expect(seqOf("technology-evaluation", "done")).toBeLessThan(seqOf("architecture-drivers", "review"));
    // With batches, the overview waited for the slow drivers task; now it starts right after its dependency.
    expect(seqOf("architecture-overview", "in_progress")).toBeLessThan(
      seqOf("architecture-drivers", "review"),
    );
  }, 120_000);
});

import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvals, artifacts, modelCalls, orgAiSettings, runEvents, runs, runTasks } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { resolveRunModel } from "@/lib/ai/org-settings";
import type { ResilienceOptions } from "@/lib/ai/resilient-model";
import { encryptSecret } from "@/lib/crypto";
import { resolveOrgContext } from "@/lib/orgs/context";
import { getRunDetail } from "@/lib/runs/queries";
import { getRunTemplate } from "@/lib/runs/templates";
import { createTestApp, eventually, resetEngineTables } from "@/tests/engine/support/harness";
import { createTeam } from "@/tests/support/factories";
import {
  demoReply,
  type Handler,
  type ModelRequest,
  type ModelServer,
  type Reply,
  startModelServer,
} from "@/tests/support/model-server";
import { createProjectRow } from "@/tests/support/run-fixtures";

/**
 * Runs of the real run function (embedded engine) whose organization's model provider is a real
 * OpenAI-compatible HTTP server on 127.0.0.1, scripted per request with the faults real providers
 * produce. Every run must end in the right terminal state with a reason a person can read, free
 * its slot in the organization, and write nothing twice.
 */

// The SSRF guard for organization-supplied base URLs refuses loopback unless this is set.
process.env.ALLOW_PRIVATE_NETWORK_URLS = "1";
delete (globalThis as { __dmEnv?: unknown }).__dmEnv;

/** Short bounds so each fault settles in seconds; production defaults are minutes. */
const BOUNDS: ResilienceOptions = {
  maxRetries: 2,
  retryBaseDelayMs: 100,
  firstTokenTimeoutMs: 1_500,
  requestTimeoutMs: 1_500,
};

let server: ModelServer;
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  // The organization's own provider settings, resolved as in production, with short bounds.
  resolveModel: (orgId, tier, agent) => resolveRunModel(orgId, tier, agent, BOUNDS),
  slotPollInterval: "1s",
  approvalPollInterval: "1s",
  approvalPolls: 60,
});

beforeAll(async () => {
  server = await startModelServer();
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(async () => {
  await app.stop();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.handle(demoReply);
});

const FINAL = ["completed", "failed", "cancelled", "budget_exhausted"];
const TEMPLATE = "technical-architecture-overview";

/** A one-task plan in an ungated phase: the fault cases stay short. */
function smallPlan(agent = "requirements-elicitor") {
  const reference = getRunTemplate(TEMPLATE)?.referencePlan;
  const drivers = reference?.phases[0]?.tasks[0];
  if (!drivers) throw new Error("reference plan changed");
  return {
    summary: "Capture the drivers first; the rest follows in later runs.",
    phases: [{ key: "scope", name: "Scope and drivers", tasks: [{ ...drivers, agent, dependsOn: [] }] }],
  };
}

const planReply = (plan: unknown = smallPlan()): Reply => ({ text: JSON.stringify(plan) });

type Rule = { when: (r: ModelRequest) => boolean; replies: (Reply | Handler)[] };
/**
 * Each rule serves its replies, in order, to the requests it matches; everything else (and a rule
 * once spent) gets the happy scripted answer. Plans default to the small plan.
 */
function script(...rules: Rule[]): Handler {
  return (request) => {
    for (const rule of rules) {
      const next = rule.when(request) ? rule.replies.shift() : undefined;
      if (next) return typeof next === "function" ? next(request) : next;
    }
    return request.purpose === "plan" ? planReply() : demoReply(request);
  };
}
const is = (purpose: string) => (r: ModelRequest) => r.purpose === purpose;
const times = (n: number, reply: Reply) => Array.from({ length: n }, () => structuredClone(reply));

async function setupTeam(maxConcurrentRuns = 1) {
  const team = await createTeam();
  const db = await getDb();
  await db.insert(orgAiSettings).values({
    orgId: team.org.id,
    provider: {
      kind: "openai-compatible",
      name: "faults",
      baseURL: server.baseURL,
      models: { standard: "scripted-model" },
    },
    apiKeyEncrypted: encryptSecret("sk-test-key"),
    maxConcurrentRuns,
  });
  const project = await createProjectRow(team.org.id);
  return { team, project };
}
type Setup = Awaited<ReturnType<typeof setupTeam>>;

async function startRun({ team, project }: Setup) {
  const db = await getDb();
  const [row] = await db
    .insert(runs)
    .values({
      orgId: team.org.id,
      projectId: project.id,
      goal: "Describe the architecture of a customer feedback portal.",
      templateSlug: TEMPLATE,
      tokenBudget: 5_000_000,
      startedById: team.owner.id,
    })
    .returning();
  if (!row) throw new Error("run not created");
  const scope = { orgId: team.org.id, runId: row.id };
  await app.client.send(runRequested.create(scope));
  return scope;
}

async function runRow(runId: string) {
  const db = await getDb();
  const [row] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!row) throw new Error("run missing");
  return row;
}

/** Approves gates as they appear until the run ends. */
async function settle(scope: { orgId: string; runId: string }, timeoutMs = 60_000) {
  const db = await getDb();
  return eventually(async () => {
    const row = await runRow(scope.runId);
    if (FINAL.includes(row.status)) return row;
    const pending = await db
      .select()
      .from(approvals)
      .where(and(eq(approvals.runId, scope.runId), eq(approvals.status, "pending")));
    for (const a of pending) {
      await db
        .update(approvals)
        .set({ status: "approved", decidedAt: new Date() })
        .where(eq(approvals.id, a.id));
      await app.client.send(
        approvalDecided.create({ ...scope, approvalId: a.id, decision: "approved", comment: null }),
      );
    }
    return undefined;
  }, timeoutMs);
}

/** What a person may be shown: a sentence, not a stack, an error class or a provider's JSON. */
function expectReadable(reason: string | null | undefined) {
  expect(reason).toBeTruthy();
  expect(reason).not.toMatch(/[{}]|\n\s*at |\bError\b|AI_|APICall|undefined|\[object/);
  expect((reason ?? "").length).toBeLessThan(600);
}

/** Nothing written twice: artifact versions per task, usage rows per answered call, events. */
async function expectNoDuplicates(runId: string, answered: number) {
  const db = await getDb();
  const arts = await db.select().from(artifacts).where(eq(artifacts.runId, runId));
  const versions = arts.map((a) => `${a.taskId}:${a.kind}:${a.artifactKey}:${a.version}`);
  expect(new Set(versions).size).toBe(versions.length);
  const perTask = new Map<string, number[]>();
  for (const a of arts)
    perTask.set(`${a.taskId}:${a.kind}`, [...(perTask.get(`${a.taskId}:${a.kind}`) ?? []), a.version]);
  for (const v of perTask.values()) expect(new Set(v).size).toBe(v.length);

  const calls = await db.select().from(modelCalls).where(eq(modelCalls.runId, runId));
  expect(calls).toHaveLength(answered);

  const events = await db
    .select()
    .from(runEvents)
    .where(eq(runEvents.runId, runId))
    .orderBy(asc(runEvents.seq));
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  // A step that ran twice would repeat its writes: the same result event, or the same transition
  // twice in a row (a status may recur, e.g. running again after an approval, but not back to back).
  const once = ["run.plan", "artifact.saved", "review.verdict", "approval.requested", "approval.resolved"];
  const keys = events.filter((e) => once.includes(e.type)).map((e) => JSON.stringify([e.type, e.data]));
  expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  const last = new Map<string, unknown>();
  for (const e of events.filter((x) => x.type === "run.status" || x.type === "task.status")) {
    const subject = String(e.data.taskId ?? "run");
    expect(e.data.status === last.get(subject) ? `${subject} ${e.data.status} twice` : "ok").toBe("ok");
    last.set(subject, e.data.status);
  }
  return events;
}

/**
 * Model calls answered in full: each is one usage record. A stream cut mid-answer never reports
 * its usage (it comes in the last chunk), so its step is retried and only the retry is recorded.
 */
/** The conversation without its first tool call and that call's answer. */
function withoutFirstToolExchange(messages: ModelRequest["body"]["messages"]) {
  const first = messages.find((m) => m.tool_calls?.length);
  const ids = new Set(first?.tool_calls?.map((c) => c.id));
  return messages.filter(
    (m) => m !== first && !(m.role === "tool" && m.tool_call_id && ids.has(m.tool_call_id)),
  );
}

const answered = () => server.requests.filter((r) => r.outcome === "answered").length;

/** The slot is free: another run of the organization (limit 1) is admitted and completes. */
async function expectSlotFreed(setup: Setup) {
  server.handle(script());
  const next = await startRun(setup);
  expect((await settle(next)).status).toBe("completed");
}

async function detailOf(setup: Setup, runId: string) {
  const ctx = await resolveOrgContext(setup.team.viewer, setup.team.org.slug, "runs.read", {
    ip: null,
    userAgent: null,
  });
  return getRunDetail(ctx, runId);
}

describe("runs against a real OpenAI-compatible HTTP server", () => {
  it("completes a scripted run end to end: plan, tasks, reviews, approval, summary", async () => {
    const setup = await setupTeam();
    server.handle(demoReply);
    const scope = await startRun(setup);
    const run = await settle(scope);
    expect(run.status).toBe("completed");
    expect(run.statusReason).toBeNull();
    expect(run.summaryArtifactId).not.toBeNull();

    const purposes = new Set(server.requests.map((r) => r.purpose));
    expect([...purposes].sort()).toEqual(["plan", "review", "summary", "task"]);
    // The real provider path: bearer key, JSON schema for plans and verdicts, SSE with usage for agents.
    const plan = server.requests.find((r) => r.purpose === "plan");
    expect(plan?.headers.authorization).toBe("Bearer sk-test-key");
    expect(plan?.body.response_format?.type).toBe("json_schema");
    const task = server.requests.find((r) => r.purpose === "task");
    expect(task?.body.stream).toBe(true);
    expect(task?.body.tools?.map((t) => t.function.name)).toContain("write_artifact");

    const db = await getDb();
    const tasks = await db.select().from(runTasks).where(eq(runTasks.runId, scope.runId));
    expect(tasks).toHaveLength(4);
    expect(tasks.every((t) => t.status === "done")).toBe(true);
    const calls = await db.select().from(modelCalls).where(eq(modelCalls.runId, scope.runId));
    expect(calls.every((c) => c.provider === "openai-compatible" && c.modelId === "scripted-model")).toBe(
      true,
    );
    expect(calls.every((c) => c.inputTokens > 0 && c.outputTokens > 0)).toBe(true);
    expect(run.inputTokens).toBe(calls.reduce((n, c) => n + c.inputTokens, 0));
    await expectNoDuplicates(scope.runId, answered());
  }, 90_000);

  describe("faults the run recovers from", () => {
    it("re-asks when the plan comes back as plain text, then completes", async () => {
      const setup = await setupTeam();
      server.handle(
        script({
          when: is("plan"),
          replies: [{ text: "Sure! First we capture the drivers, then we design." }],
        }),
      );
      const scope = await startRun(setup);
      const run = await settle(scope);
      expect(run.status).toBe("completed");
      const plans = server.requests.filter((r) => r.purpose === "plan");
      expect(plans).toHaveLength(2);
      expect(JSON.stringify(plans[1]?.body.messages)).toContain("Your answer was text, not the JSON plan");
      await expectSlotFreed(setup);
    });

    it("reads a plan wrapped in a code fence and prose without a re-ask", async () => {
      const setup = await setupTeam();
      const fenced = `Here is the plan:\n\n\`\`\`json\n${JSON.stringify(smallPlan(), null, 2)}\n\`\`\`\nLet me know!`;
      server.handle(script({ when: is("plan"), replies: [{ text: fenced }] }));
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      expect(server.requests.filter((r) => r.purpose === "plan")).toHaveLength(1);
      await expectNoDuplicates(scope.runId, answered());
    });

    it("re-asks when the plan's JSON is cut off, then completes", async () => {
      const setup = await setupTeam();
      const truncated = JSON.stringify(smallPlan()).slice(0, 120);
      server.handle(script({ when: is("plan"), replies: [{ text: truncated }] }));
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      const plans = server.requests.filter((r) => r.purpose === "plan");
      expect(plans).toHaveLength(2);
      expect(JSON.stringify(plans[1]?.body.messages)).toContain("cut off before the JSON ended");
    });

    it("re-asks when the plan names unknown agents, then completes", async () => {
      const setup = await setupTeam();
      server.handle(script({ when: is("plan"), replies: [planReply(smallPlan("wizard"))] }));
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      const plans = server.requests.filter((r) => r.purpose === "plan");
      expect(plans).toHaveLength(2);
      expect(JSON.stringify(plans[1]?.body.messages)).toContain('unknown agent \\"wizard\\"');
      const db = await getDb();
      const tasks = await db.select().from(runTasks).where(eq(runTasks.runId, scope.runId));
      expect(tasks.map((t) => t.agentSlug)).toEqual(["requirements-elicitor"]);
      await expectNoDuplicates(scope.runId, answered());
    });

    it("reworks a task whose review verdict came back as plain text, then completes", async () => {
      const setup = await setupTeam();
      server.handle(script({ when: is("review"), replies: [{ text: "Looks good to me!" }] }));
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      const db = await getDb();
      const verdicts = (
        await db
          .select()
          .from(runEvents)
          .where(and(eq(runEvents.runId, scope.runId), eq(runEvents.type, "review.verdict")))
          .orderBy(asc(runEvents.seq))
      ).map((e) => e.data.verdict);
      expect(verdicts).toEqual(["fail", "pass"]);
      const [task] = await db.select().from(runTasks).where(eq(runTasks.runId, scope.runId));
      expect(task?.attempts).toBe(2);
    });

    it("lets the agent correct a tool call with invalid arguments", async () => {
      const setup = await setupTeam();
      server.handle(
        script(
          {
            when: (r) => r.purpose === "task" && !r.body.messages.some((m) => m.role === "tool"),
            replies: [{ toolCalls: [{ name: "write_artifact", arguments: '{"kind": 42, "title": ' }] }],
          },
          // Told what was wrong, the model calls the tool again, properly this time.
          {
            when: (r) => r.purpose === "task" && r.body.messages.some((m) => m.role === "tool"),
            replies: [
              (r) =>
                demoReply({
                  ...r,
                  body: {
                    ...r.body,
                    // Without the failed exchange (the first tool call and its answer), the demo
                    // model goes on as if it had not happened, whatever tools it uses after.
                    messages: withoutFirstToolExchange(r.body.messages),
                  },
                }),
            ],
          },
        ),
      );
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      const db = await getDb();
      const results = await db
        .select()
        .from(runEvents)
        .where(and(eq(runEvents.runId, scope.runId), eq(runEvents.type, "agent.tool-result")));
      expect(results.length).toBeGreaterThan(0);
      const toolMessage = server.requests
        .find((r) => r.purpose === "task" && r.body.messages.some((m) => m.role === "tool"))
        ?.body.messages.find((m) => m.role === "tool");
      expect(JSON.stringify(toolMessage?.content)).toMatch(/invalid|Invalid/);
      const arts = await db.select().from(artifacts).where(eq(artifacts.runId, scope.runId));
      // One document (a revision after review is a new version of it, not a second document).
      const docs = arts.filter((a) => a.kind !== "run_summary");
      expect(new Set(docs.map((a) => a.artifactKey)).size).toBe(1);
      expect(docs.map((a) => a.version).sort()).toEqual(docs.map((_, i) => i + 1));
      await expectNoDuplicates(scope.runId, answered());
    });

    it("asks a server without JSON mode again with the schema in the prompt, then completes", async () => {
      const setup = await setupTeam();
      const refuses: Handler = (r) =>
        r.body.response_format && r.body.response_format.type !== "text"
          ? { status: 400, body: { error: { message: "response_format is not supported by this server" } } }
          : r.purpose === "plan"
            ? { text: `Here you go:\n${JSON.stringify(smallPlan())}` }
            : demoReply(r);
      server.handle(refuses);
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      const plan = server.requests.filter((r) => r.purpose === "plan");
      expect(plan.map((r) => r.outcome)).toEqual(["error", "answered"]);
      expect(JSON.stringify(plan[1]?.body.messages)).toContain("matches this JSON schema");
      const db = await getDb();
      const verdicts = await db
        .select()
        .from(runEvents)
        .where(and(eq(runEvents.runId, scope.runId), eq(runEvents.type, "review.verdict")));
      expect(verdicts.map((v) => v.data.verdict)).toEqual(["pass"]);
      await expectNoDuplicates(scope.runId, answered());
    });

    it("waits for retry-after on a 429, then completes", async () => {
      const setup = await setupTeam();
      const limited: Reply = {
        status: 429,
        headers: { "retry-after": "1" },
        body: { error: { message: "Rate limit reached", type: "rate_limit" } },
      };
      server.handle(script({ when: is("plan"), replies: [limited] }));
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      const [first, second] = server.requests.filter((r) => r.purpose === "plan");
      expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
      await expectNoDuplicates(scope.runId, answered());
    });

    it("retries a 500, then completes", async () => {
      const setup = await setupTeam();
      server.handle(
        script({
          when: is("task"),
          replies: [
            { status: 500, body: "upstream exploded" },
            { status: 502, body: "" },
          ],
        }),
      );
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      await expectNoDuplicates(scope.runId, answered());
    });

    it("retries a stream cut before its first token, then completes", async () => {
      const setup = await setupTeam();
      server.handle(script({ when: is("task"), replies: [{ text: "Working on it", cutAfterChars: 0 }] }));
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      await expectNoDuplicates(scope.runId, answered());
    });

    it("retries the task after a stream cut mid-answer once, then completes with one artifact", async () => {
      const setup = await setupTeam();
      const cut: Reply = {
        text: "The drivers are: scale, latency and cost. ".repeat(20),
        cutAfterChars: 300,
      };
      server.handle(script({ when: is("task"), replies: [cut] }));
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      const db = await getDb();
      const arts = await db.select().from(artifacts).where(eq(artifacts.runId, scope.runId));
      expect(arts.filter((a) => a.kind !== "run_summary")).toHaveLength(1);
      await expectNoDuplicates(scope.runId, answered());
    });

    it("gives up on a very slow first token at the timeout and retries", async () => {
      const setup = await setupTeam();
      server.handle(
        script({ when: is("task"), replies: [(r) => ({ ...demoReply(r), firstChunkDelayMs: 5_000 })] }),
      );
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      const tasks = server.requests.filter((r) => r.purpose === "task");
      expect(tasks[0]?.outcome).toBe("aborted");
      await expectNoDuplicates(scope.runId, answered());
    });
  });

  describe("faults that fail the run with a readable reason", () => {
    it("fails a task whose stream is cut mid-answer, says why, and frees the slot", async () => {
      const setup = await setupTeam();
      const cut: Reply = {
        text: "The drivers are: scale, latency and cost. ".repeat(20),
        cutAfterChars: 300,
      };
      server.handle(script({ when: is("task"), replies: times(20, cut) }));
      const scope = await startRun(setup);
      const run = await settle(scope);
      expect(run.status).toBe("failed");
      expectReadable(run.statusReason);
      const detail = await detailOf(setup, scope.runId);
      const task = detail.tasks[0];
      expect(task?.status).toBe("failed");
      expectReadable(task?.statusReason);
      expect(task?.statusReason).toContain("connection closed mid-answer");
      await expectNoDuplicates(scope.runId, answered());
      await expectSlotFreed(setup);
    });

    it("fails a task after persistent 500s, with the status and the retries in the reason", async () => {
      const setup = await setupTeam();
      server.handle(
        script({
          when: is("task"),
          replies: times(30, { status: 500, body: { error: { message: "boom" } } }),
        }),
      );
      const scope = await startRun(setup);
      const run = await settle(scope);
      expect(run.status).toBe("failed");
      const detail = await detailOf(setup, scope.runId);
      expectReadable(detail.tasks[0]?.statusReason);
      expect(detail.tasks[0]?.statusReason).toContain("server error (500); retried 2 times");
      expect(detail.run.statusReason).toMatch(/task failed/);
      await expectNoDuplicates(scope.runId, answered());
      await expectSlotFreed(setup);
    });

    it("fails a task when the provider refuses the API key (401), without retrying the call", async () => {
      const setup = await setupTeam();
      const refused: Reply = {
        status: 401,
        body: { error: { message: "Incorrect API key provided: sk-te****" } },
      };
      server.handle(script({ when: is("task"), replies: times(10, refused) }));
      const scope = await startRun(setup);
      const run = await settle(scope);
      expect(run.status).toBe("failed");
      const detail = await detailOf(setup, scope.runId);
      expectReadable(detail.tasks[0]?.statusReason);
      expect(detail.tasks[0]?.statusReason).toContain("refused the API key (401)");
      // Not retried by the provider layer (the run function's step retries remain: at most 3 tries).
      expect(server.requests.filter((r) => r.purpose === "task").length).toBeLessThanOrEqual(3);
      await expectNoDuplicates(scope.runId, answered());
      await expectSlotFreed(setup);
    });

    it("fails a task after persistent 429s, saying it was rate limited and retried", async () => {
      const setup = await setupTeam();
      const limited: Reply = {
        status: 429,
        headers: { "retry-after": "0" },
        body: { error: { message: "slow down" } },
      };
      server.handle(script({ when: is("task"), replies: times(30, limited) }));
      const scope = await startRun(setup);
      const run = await settle(scope);
      expect(run.status).toBe("failed");
      const detail = await detailOf(setup, scope.runId);
      expectReadable(detail.tasks[0]?.statusReason);
      expect(detail.tasks[0]?.statusReason).toContain("rate limiting requests (429); retried 2 times");
      await expectNoDuplicates(scope.runId, answered());
      await expectSlotFreed(setup);
    });

    it("fails a task whose first token never comes in time, saying how long it waited", async () => {
      const setup = await setupTeam();
      server.handle(
        script({
          when: is("task"),
          replies: Array.from({ length: 20 }, () => (r: ModelRequest) => ({
            ...demoReply(r),
            firstChunkDelayMs: 4_000,
          })),
        }),
      );
      const scope = await startRun(setup);
      const run = await settle(scope, 90_000);
      expect(run.status).toBe("failed");
      const detail = await detailOf(setup, scope.runId);
      expectReadable(detail.tasks[0]?.statusReason);
      expect(detail.tasks[0]?.statusReason).toContain("did not answer within 1.5 s; retried 2 times");
      await expectNoDuplicates(scope.runId, answered());
      await expectSlotFreed(setup);
    }, 120_000);

    // needs run-function fix: generateStructured (lib/runs/execute/agent-call.ts) records usage only
    // when the answer parses, so the tokens of a plan answered in plain text are not counted.
    it("records the usage of a plan answer that was not JSON", async () => {
      const setup = await setupTeam();
      server.handle(script({ when: is("plan"), replies: [{ text: "Sure! First we capture the drivers." }] }));
      const scope = await startRun(setup);
      expect((await settle(scope)).status).toBe("completed");
      await expectNoDuplicates(scope.runId, answered());
    });

    // needs run-function fix: a provider error while planning fails the function with no failure
    // handler, so the run stays in planning and keeps the organization's slot.
    it("fails the run when the provider refuses the API key (401) while planning", async () => {
      const setup = await setupTeam();
      server.handle(
        script({
          when: is("plan"),
          replies: times(20, {
            status: 401,
            body: { error: { message: "Incorrect API key provided: sk-te****" } },
          }),
        }),
      );
      const scope = await startRun(setup);
      const run = await settle(scope);
      expect(run.status).toBe("failed");
      expectReadable(run.statusReason);
      expect(run.statusReason).toContain("refused the API key (401)");
      // A refused key is not retried.
      expect(server.requests.filter((r) => r.purpose === "plan").length).toBeLessThanOrEqual(3);
      await expectNoDuplicates(scope.runId, answered());
      await expectSlotFreed(setup);
    }, 90_000);

    // needs run-function fix: same as above (no failure handler for a planning step that keeps failing).
    it("fails the run after persistent 429s while planning, saying it was rate limited", async () => {
      const setup = await setupTeam();
      const limited: Reply = {
        status: 429,
        headers: { "retry-after": "0" },
        body: { error: { message: "slow down" } },
      };
      server.handle(script({ when: is("plan"), replies: times(30, limited) }));
      const scope = await startRun(setup);
      const run = await settle(scope);
      expect(run.status).toBe("failed");
      expectReadable(run.statusReason);
      expect(run.statusReason).toContain("rate limiting requests (429); retried 2 times");
      await expectSlotFreed(setup);
    }, 90_000);

    // needs run-function fix: a summary step that keeps failing fails the function; the run stays running.
    it("finishes the run when the summary call keeps failing", async () => {
      const setup = await setupTeam();
      server.handle(
        script({ when: is("summary"), replies: times(30, { status: 503, body: "unavailable" }) }),
      );
      const scope = await startRun(setup);
      const run = await settle(scope);
      expect(FINAL).toContain(run.status);
      if (run.statusReason) expectReadable(run.statusReason);
      await expectSlotFreed(setup);
    }, 90_000);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as projectRunsRoute from "@/app/api/orgs/[org]/projects/[project]/runs/route";
import * as approvalRoute from "@/app/api/orgs/[org]/runs/[run]/approvals/[approval]/route";
import * as runRoute from "@/app/api/orgs/[org]/runs/[run]/route";
import * as streamRoute from "@/app/api/orgs/[org]/runs/[run]/stream/route";
import * as clientModule from "@/inngest/client";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { missingSections } from "@/lib/agents/artifact-kinds";
import { createDemoModel } from "@/lib/ai/demo-model";
import type { ResolvedModel } from "@/lib/ai/providers";
import { resolveOrgContext } from "@/lib/orgs/context";
import { getRunDetail } from "@/lib/runs/queries";
import { parseRunStream } from "@/lib/runs/stream-protocol";
import { resetEngineTables } from "@/tests/engine/support/harness";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";

/**
 * The whole path a user takes, below the browser: the start route queues a run, the real run
 * function (embedded engine, scripted demo model) executes it, viewers follow the stream route,
 * a member approves the gate through the approval route, and the run completes.
 */

// The app's client, replaced by a test app's client wired to an engine this test starts.
vi.mock("@/inngest/client", async () => {
  const { createTestApp } = await import("@/tests/engine/support/harness");
  const app = createTestApp();
  return { inngest: app.client, testApp: app };
});
const app = (
  clientModule as unknown as {
    testApp: ReturnType<typeof import("@/tests/engine/support/harness").createTestApp>;
  }
).testApp;

const model = createDemoModel({ chunkDelayMs: 0 });
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: async () =>
    ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true }) satisfies ResolvedModel,
  slotPollInterval: "1s",
  approvalPollInterval: "1s",
  approvalPolls: 60,
});

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(() => app.stop());

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
const call = (
  handler: Handler,
  params: Record<string, string>,
  init: { json?: unknown; query?: string } = {},
) =>
  handler(
    new Request(`http://localhost/api/orgs/x${init.query ?? ""}`, {
      method: init.json === undefined ? "GET" : "POST",
      headers:
        init.json === undefined
          ? { origin: "http://localhost" }
          : { "content-type": "application/json", origin: "http://localhost" },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    }),
    { params: Promise.resolve(params) },
  );

/** Collects an SSE body as it arrives. */
function follow(res: Response) {
  const reader = res.body?.getReader();
  if (!reader) throw new Error("no body");
  const state = { body: "", ended: false };
  const done = (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      state.body += decoder.decode(value, { stream: true });
    }
    state.ended = true;
  })();
  const events = () => parseRunStream(state.body).flatMap((c) => (c.type === "event" ? [c.event] : []));
  return { state, done, events };
}

async function until(check: () => boolean | Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("a run end to end through the routes and the run function", () => {
  it("streams a technical architecture overview to several viewers, through its gate, to completion", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    actAs(t.member);
    const started = await call(
      projectRunsRoute.POST,
      { org: t.org.slug, project: project.slug },
      {
        json: {
          goal: "Describe the architecture of the booking app.",
          template: "technical-architecture-overview",
        },
      },
    );
    expect(started.status).toBe(201);
    const runId = ((await started.json()) as { run: { id: string } }).run.id;
    const params = { org: t.org.slug, run: runId };

    actAs(t.viewer);
    const first = follow(await call(streamRoute.GET, params));
    await until(() => first.events().some((e) => e.type === "agent.delta"));

    // A second viewer joins mid-run from the first one's position.
    const joinAt = first.events().at(-1)?.seq ?? 0;
    const second = follow(await call(streamRoute.GET, params, { query: `?after=${joinAt}` }));

    await until(() => first.events().some((e) => e.type === "approval.requested"));
    actAs(t.member);
    const detail = (await (await call(runRoute.GET, params)).json()) as {
      approvals: { id: string; status: string }[];
    };
    const pending = detail.approvals.find((a) => a.status === "pending");
    expect(pending).toBeDefined();
    const decided = await call(
      approvalRoute.POST,
      { ...params, approval: pending?.id ?? "" },
      { json: { decision: "approved", comment: "Looks right." } },
    );
    expect(decided.status).toBe(200);

    await Promise.race([Promise.all([first.done, second.done]), new Promise((r) => setTimeout(r, 90_000))]);
    expect(first.state.ended && second.state.ended).toBe(true);

    const all = first.events();
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)).toMatchObject({ type: "run.status", status: "completed" });
    expect(parseRunStream(first.state.body).slice(-2)).toEqual([{ type: "finish" }, { type: "done" }]);
    expect(second.events().map((e) => e.seq)).toEqual(all.filter((e) => e.seq > joinAt).map((e) => e.seq));
    expect(all.filter((e) => e.type === "approval.resolved")).toHaveLength(1);

    const ctx = await resolveOrgContext(t.viewer, t.org.slug, "runs.read", { ip: null, userAgent: null });
    const run = await getRunDetail(ctx, runId);
    expect(run.run.status).toBe("completed");
    const doc = run.artifacts.find((a) => a.kind === "architecture_overview");
    expect(doc).toBeDefined();
    expect(missingSections("architecture_overview", doc?.versions.at(-1)?.content ?? "")).toEqual([]);
  }, 180_000);
});

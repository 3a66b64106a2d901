import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb, withTenant } from "@/db";
import { approvals, auditLogs, runs, runTasks } from "@/db/schema";
import { appendRunEvents, subscriberCount } from "@/lib/runs/event-log";
import type { RunEvent } from "@/lib/runs/events";
import { openFeedCount } from "@/lib/runs/live-stream";
import { parseRunStream } from "@/lib/runs/stream-protocol";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import * as projectRunsRoute from "../projects/[project]/runs/route";
import * as approvalRoute from "./[run]/approvals/[approval]/route";
import * as cancelRoute from "./[run]/cancel/route";
import * as resumeRoute from "./[run]/resume/route";
import * as runRoute from "./[run]/route";
import * as streamRoute from "./[run]/stream/route";
import * as retryRoute from "./[run]/tasks/[task]/retry/route";
import * as runsRoute from "./route";

const sent = vi.hoisted(() => ({ names: [] as string[] }));
vi.mock("@/inngest/client", () => ({
  inngest: {
    send: async (e: { name: string }) => {
      sent.names.push(e.name);
      return { ids: [] };
    },
  },
}));

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Team = Awaited<ReturnType<typeof createTeam>>;

function call(
  handler: Handler,
  params: Record<string, string>,
  init: {
    method?: string;
    json?: unknown;
    query?: string;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
) {
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  const headers: Record<string, string> = {
    "user-agent": "api-test",
    origin: "http://localhost",
    ...init.headers,
  };
  if (body !== undefined) headers["content-type"] = "application/json";
  const req = new Request(`http://localhost/api/orgs/${params.org}/x${init.query ?? ""}`, {
    method: init.method ?? (body ? "POST" : "GET"),
    headers,
    body,
    signal: init.signal,
  });
  return handler(req, { params: Promise.resolve(params) });
}

const goal = "Describe the architecture of the billing system.";

async function seed(t: Team, status: (typeof runs.$inferSelect)["status"] = "waiting_approval") {
  const project = await createProjectRow(t.org.id);
  const run = await createRunRow(t.org.id, project.id, {
    status,
    startedById: t.member.id,
    tokenBudget: 10_000,
    inputTokens: 9_000,
  });
  const db = await getDb();
  const [task] = await db
    .insert(runTasks)
    .values({
      orgId: t.org.id,
      runId: run.id,
      key: "a",
      phaseKey: "p",
      title: "A",
      agentSlug: "coder",
      status: "failed",
    })
    .returning();
  const [approval] = await db
    .insert(approvals)
    .values({ orgId: t.org.id, runId: run.id, title: "Gate", prompt: "OK?" })
    .returning();
  if (!task || !approval) throw new Error("seed failed");
  return { project, run, task, approval };
}

let t: Team;
beforeEach(async () => {
  t = await createTeam();
  sent.names = [];
  actAs(null);
});

describe("runs JSON API", () => {
  it("starts and lists runs of a project; validates; another org gets 404 and a viewer 403", async () => {
    const project = await createProjectRow(t.org.id);
    const params = { org: t.org.slug, project: project.slug };
    actAs(t.member);
    const bad = await call(projectRunsRoute.POST, params, { json: { goal: "short", template: "x" } });
    expect(bad.status).toBe(422);
    const badBody = (await bad.json()) as { error: { fieldErrors: Record<string, string[]> } };
    expect(Object.keys(badBody.error.fieldErrors).sort()).toEqual(["goal", "template"]);

    const res = await call(projectRunsRoute.POST, params, {
      json: { goal, template: "technical-architecture-overview", tokenBudget: 50_000 },
    });
    expect(res.status).toBe(201);
    const { run } = (await res.json()) as { run: { id: string; status: string; tokenBudget: number } };
    expect(run).toMatchObject({ status: "queued", tokenBudget: 50_000 });
    expect(sent.names).toEqual(["runs/run.requested"]);

    actAs(t.viewer);
    const list = await call(projectRunsRoute.GET, params);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { runs: { id: string }[] }).runs.map((r) => r.id)).toEqual([run.id]);
    const recent = await call(runsRoute.GET, { org: t.org.slug }, { query: "?limit=5" });
    expect(((await recent.json()) as { runs: { id: string }[] }).runs.map((r) => r.id)).toEqual([run.id]);
    expect((await call(runsRoute.GET, { org: t.org.slug }, { query: "?limit=500" })).status).toBe(422);
    expect(
      (await call(projectRunsRoute.POST, params, { json: { goal, template: "full-delivery" } })).status,
    ).toBe(403);
    const detail = await call(runRoute.GET, { org: t.org.slug, run: run.id });
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { run: { goal: string } }).run.goal).toBe(goal);

    actAs(t.outsider);
    expect((await call(projectRunsRoute.GET, params)).status).toBe(404);
    expect((await call(runRoute.GET, { org: t.org.slug, run: run.id })).status).toBe(404);
    // The outsider's own org does not reveal the run either.
    expect((await call(runRoute.GET, { org: t.otherOrg.slug, run: run.id })).status).toBe(404);
    expect((await call(projectRunsRoute.GET, { org: t.otherOrg.slug, project: project.slug })).status).toBe(
      404,
    );
    const db = await getDb();
    expect(await db.select().from(runs).where(eq(runs.orgId, t.org.id))).toHaveLength(1);
  });

  it("cancels, retries, decides and resumes, with 404 across orgs and 403 for lower roles", async () => {
    const { run, task, approval } = await seed(t);
    const org = t.org.slug;
    const db = await getDb();
    const audits = async (action: string) =>
      (
        await db
          .select()
          .from(auditLogs)
          .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, action)))
      ).length;

    // Approvals: viewer 403, outsider 404 (in their org too), member may, a rejection needs a comment.
    const ap = { org, run: run.id, approval: approval.id };
    actAs(t.viewer);
    expect((await call(approvalRoute.POST, ap, { json: { decision: "approved" } })).status).toBe(403);
    actAs(t.outsider);
    expect((await call(approvalRoute.POST, ap, { json: { decision: "approved" } })).status).toBe(404);
    expect(
      (await call(approvalRoute.POST, { ...ap, org: t.otherOrg.slug }, { json: { decision: "approved" } }))
        .status,
    ).toBe(404);
    actAs(t.member);
    const noComment = await call(approvalRoute.POST, ap, { json: { decision: "rejected", comment: "" } });
    expect(noComment.status).toBe(422);
    const decided = await call(approvalRoute.POST, ap, {
      json: { decision: "rejected", comment: "Too costly." },
    });
    expect(decided.status).toBe(200);
    expect(await audits("approval.decide")).toBe(1);
    expect((await call(approvalRoute.POST, ap, { json: { decision: "approved" } })).status).toBe(409);

    // Retry: viewer 403, outsider 404, member resets the failed task.
    const rt = { org, run: run.id, task: task.id };
    actAs(t.viewer);
    expect((await call(retryRoute.POST, rt, { method: "POST" })).status).toBe(403);
    actAs(t.outsider);
    expect((await call(retryRoute.POST, { ...rt, org: t.otherOrg.slug }, { method: "POST" })).status).toBe(
      404,
    );
    actAs(t.member);
    expect((await call(retryRoute.POST, rt, { method: "POST" })).status).toBe(200);
    expect((await call(retryRoute.POST, rt, { method: "POST" })).status).toBe(409);
    expect(await audits("run.retry_task")).toBe(1);

    // Cancel: viewer 403, outsider 404, member cancels once.
    const rc = { org, run: run.id };
    actAs(t.viewer);
    expect((await call(cancelRoute.POST, rc, { method: "POST" })).status).toBe(403);
    actAs(t.outsider);
    expect((await call(cancelRoute.POST, { ...rc, org: t.otherOrg.slug }, { method: "POST" })).status).toBe(
      404,
    );
    actAs(t.member);
    expect((await call(cancelRoute.POST, rc, { method: "POST" })).status).toBe(200);
    expect((await call(cancelRoute.POST, rc, { method: "POST" })).status).toBe(409);
    expect(await audits("run.cancel")).toBe(1);

    // Resume: only a budget-exhausted run, with more than the tokens used.
    expect((await call(resumeRoute.POST, rc, { json: { tokenBudget: 20_000 } })).status).toBe(409);
    await db.update(runs).set({ status: "budget_exhausted" }).where(eq(runs.id, run.id));
    actAs(t.viewer);
    expect((await call(resumeRoute.POST, rc, { json: { tokenBudget: 20_000 } })).status).toBe(403);
    actAs(t.outsider);
    expect(
      (await call(resumeRoute.POST, { ...rc, org: t.otherOrg.slug }, { json: { tokenBudget: 20_000 } }))
        .status,
    ).toBe(404);
    actAs(t.member);
    const low = await call(resumeRoute.POST, rc, { json: { tokenBudget: 9_000 } });
    expect(low.status).toBe(422);
    expect((await call(resumeRoute.POST, rc, { json: { tokenBudget: 20_000 } })).status).toBe(200);
    expect(await audits("run.resume")).toBe(1);
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({ status: "queued", tokenBudget: 20_000 });
  });
});

const delta = (text: string): RunEvent => ({
  type: "agent.delta",
  taskId: null,
  agentSlug: "system-architect",
  delta: text,
});

/** Reads an SSE response until `until` holds for the parsed chunks or the stream ends. */
async function readStream(res: Response, until: (body: string) => boolean = () => false, ms = 5_000) {
  const reader = res.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  let body = "";
  let ended = false;
  const deadline = Date.now() + ms;
  while (!until(body)) {
    const next = await Promise.race([
      reader.read(),
      new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now()))),
    ]);
    if (next === null) throw new Error(`timed out; got: ${body}`);
    if (next.done) {
      ended = true;
      break;
    }
    body += decoder.decode(next.value, { stream: true });
  }
  return { body, ended, reader };
}

/** Reads the rest of a stream until the server closes it (the test's timeout guards a hang). */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const decoder = new TextDecoder();
  let out = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    out += decoder.decode(value, { stream: true });
  }
}

const seqs = (body: string) => parseRunStream(body).flatMap((c) => (c.type === "event" ? [c.event.seq] : []));

describe("run stream", () => {
  it("replays then follows live, resumes after a position, and finishes after the final status", async () => {
    const project = await createProjectRow(t.org.id);
    const run = await createRunRow(t.org.id, project.id, { status: "running" });
    const scope = { orgId: t.org.id, runId: run.id };
    await withTenant(scope, (tx) =>
      appendRunEvents(tx, scope, [{ type: "run.status", status: "running" }, delta("a"), delta("b")]),
    );
    actAs(t.viewer);
    const params = { org: t.org.slug, run: run.id };
    const res = await call(streamRoute.GET, params);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(res.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    const first = await readStream(res, (b) => seqs(b).length === 3);
    expect(parseRunStream(first.body)[0]).toEqual({ type: "start" });
    expect(first.body).toContain("id: 3\n");

    // A second viewer resuming from Last-Event-ID 2 gets only what follows.
    const resumed = await call(streamRoute.GET, params, {
      headers: { "last-event-id": "2" },
      query: "?after=1",
    });
    const second = await readStream(resumed, (b) => seqs(b).length === 1);
    expect(seqs(second.body)).toEqual([3]);

    // Both follow live appends, then close after the final status with finish + [DONE].
    await withTenant(scope, (tx) => appendRunEvents(tx, scope, [delta("c")]));
    await withTenant(scope, (tx) =>
      appendRunEvents(tx, scope, [{ type: "run.status", status: "completed" }]),
    );
    const tail = await drain(first.reader);
    expect(seqs(first.body + tail)).toEqual([1, 2, 3, 4, 5]);
    expect(parseRunStream(tail).slice(-2)).toEqual([{ type: "finish" }, { type: "done" }]);
    const tail2 = await drain(second.reader);
    expect(seqs(second.body + tail2)).toEqual([3, 4, 5]);
    await new Promise((r) => setTimeout(r, 20));
    expect(subscriberCount(run.id)).toBe(0);

    // A finished run: replay and finish at once; nothing when resuming past the end.
    const done = await readStream(await call(streamRoute.GET, params));
    expect(done.ended).toBe(true);
    expect(seqs(done.body)).toEqual([1, 2, 3, 4, 5]);
    const past = await readStream(await call(streamRoute.GET, params, { query: "?after=5" }));
    expect(past.ended).toBe(true);
    expect(parseRunStream(past.body)).toEqual([{ type: "start" }, { type: "finish" }, { type: "done" }]);
  });

  it("frees the subscription when the client disconnects", async () => {
    const project = await createProjectRow(t.org.id);
    const run = await createRunRow(t.org.id, project.id, { status: "running" });
    actAs(t.member);
    const controller = new AbortController();
    const res = await call(streamRoute.GET, { org: t.org.slug, run: run.id }, { signal: controller.signal });
    await readStream(res, (b) => b.includes('"start"'));
    expect(subscriberCount(run.id)).toBe(1);
    const feeds = openFeedCount();
    controller.abort();
    await new Promise((r) => setTimeout(r, 20));
    expect(subscriberCount(run.id)).toBe(0);
    expect(openFeedCount()).toBe(feeds - 1);
  });

  it("is 404 for another organization and for unknown runs", async () => {
    const project = await createProjectRow(t.org.id);
    const run = await createRunRow(t.org.id, project.id);
    actAs(t.outsider);
    expect((await call(streamRoute.GET, { org: t.org.slug, run: run.id })).status).toBe(404);
    expect((await call(streamRoute.GET, { org: t.otherOrg.slug, run: run.id })).status).toBe(404);
    actAs(t.member);
    expect((await call(streamRoute.GET, { org: t.org.slug, run: crypto.randomUUID() })).status).toBe(404);
    expect((await call(streamRoute.GET, { org: t.org.slug, run: "nope" })).status).toBe(404);
    expect(subscriberCount(run.id)).toBe(0);
  });
});

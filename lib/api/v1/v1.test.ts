import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as artifactVersionGet } from "@/app/api/v1/artifacts/[artifactKey]/versions/[version]/route";
import { GET as knowledgeSearchGet } from "@/app/api/v1/knowledge/search/route";
import { GET as openapiGet } from "@/app/api/v1/openapi.json/route";
import { PUT as projectContextPut } from "@/app/api/v1/projects/[project]/context/route";
import { GET as projectGet, PATCH as projectPatch } from "@/app/api/v1/projects/[project]/route";
import { POST as startRunPost } from "@/app/api/v1/projects/[project]/runs/route";
import { GET as projectsGet, POST as projectsPost } from "@/app/api/v1/projects/route";
import { POST as approvalPost } from "@/app/api/v1/runs/[run]/approvals/[approval]/route";
import { GET as artifactsGet } from "@/app/api/v1/runs/[run]/artifacts/route";
import { POST as cancelPost } from "@/app/api/v1/runs/[run]/cancel/route";
import { GET as eventsGet } from "@/app/api/v1/runs/[run]/events/route";
import { POST as planApprovePost } from "@/app/api/v1/runs/[run]/plan/approve/route";
import { POST as planReorderPost } from "@/app/api/v1/runs/[run]/plan/reorder/route";
import { GET as runGet } from "@/app/api/v1/runs/[run]/route";
import { PUT as taskContextPut } from "@/app/api/v1/runs/[run]/tasks/[task]/context/route";
import {
  DELETE as taskDelete,
  GET as taskGet,
  PATCH as taskPatch,
} from "@/app/api/v1/runs/[run]/tasks/[task]/route";
import { GET as tasksGet, POST as tasksPost } from "@/app/api/v1/runs/[run]/tasks/route";
import { GET as runsGet } from "@/app/api/v1/runs/route";
import { GET as usageGet } from "@/app/api/v1/usage/route";
import { getDb, withTenant } from "@/db";
import {
  apiKeys,
  approvals,
  artifacts,
  auditLogs,
  idempotencyKeys,
  memberships,
  modelCalls,
  organizations,
  projects,
  runEvents,
  runs,
  runTasks,
} from "@/db/schema";
import { PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { saveTextDocument } from "@/lib/knowledge/save-text-document";
import { limiterFor } from "@/lib/rate-limit";
import { POLICIES } from "@/lib/rate-limit/policies";
import { appendRunEvents } from "@/lib/runs/event-log";
import { parseRunStream } from "@/lib/runs/stream-protocol";
import { mintApiKey } from "@/tests/support/api-keys";
import { addMember, createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import { IDEMPOTENCY_TTL_MS, purgeExpiredIdempotencyKeys } from "./idempotency";
import { OPERATIONS, type V1OperationId } from "./operations";
import { encodeCursor } from "./pagination";
import { orgPolicyOf } from "./rate-limits";

const sent = vi.hoisted(() => ({ events: [] as { name: string; data: Record<string, unknown> }[] }));
// The run function is not under test here: record what the verbs ask it to do.
vi.mock("@/inngest/client", () => ({
  inngest: {
    send: async (e: { name: string; data: Record<string, unknown> }) => {
      sent.events.push(e);
      return { ids: ["x"] };
    },
  },
}));

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const HANDLERS: Record<V1OperationId, Handler> = {
  listProjects: projectsGet,
  createProject: projectsPost,
  getProject: projectGet,
  updateProject: projectPatch,
  startRun: startRunPost,
  listRuns: runsGet,
  getRun: runGet,
  cancelRun: cancelPost,
  decideApproval: approvalPost,
  streamRunEvents: eventsGet,
  listRunTasks: tasksGet,
  getRunTask: taskGet,
  listRunArtifacts: artifactsGet,
  getArtifactVersion: artifactVersionGet,
  getUsage: usageGet,
  updateProjectContext: projectContextPut,
  addRunTask: tasksPost,
  updateRunTask: taskPatch,
  removeRunTask: taskDelete,
  reorderRunTasks: planReorderPost,
  approveRunPlan: planApprovePost,
  updateTaskContext: taskContextPut,
  searchKnowledge: knowledgeSearchGet,
};

type Init = { method?: string; json?: unknown; query?: string; headers?: Record<string, string> };

function call(handler: Handler, params: Record<string, string>, init: Init = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const req = new Request(`http://localhost/api/v1/x${init.query ?? ""}`, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return handler(req, { params: Promise.resolve(params) });
}

type ErrorJson = { error: { code: string; message: string; fields: Record<string, string[]> } };
const errorOf = async (res: Response) => ((await res.json()) as ErrorJson).error;

const ALL = [...PERMISSIONS] as Permission[];

async function seedRun(orgId: string) {
  const project = await createProjectRow(orgId);
  // Started with "review the plan first", so its plan can be approved; t1 and t2 not started.
  const run = await createRunRow(orgId, project.id, {
    status: "running",
    reviewPlan: true,
    branch: "dm/1-x",
  });
  const db = await getDb();
  const base = {
    orgId,
    runId: run.id,
    phaseKey: "build",
    description: "Do it.",
    agentSlug: "documentation-writer",
    acceptanceCriteria: ["Done"],
  };
  const [task] = await db
    .insert(runTasks)
    .values([
      { ...base, key: "t1", title: "Write it", position: 0 },
      { ...base, key: "t2", title: "Check it", position: 1 },
    ])
    .returning();
  await db.insert(runEvents).values({
    orgId,
    runId: run.id,
    seq: 1,
    type: "run.plan",
    data: { phases: [{ key: "build", title: "Build" }], tasks: [] },
  });
  const artifactKey = randomUUID();
  await db.insert(artifacts).values([
    {
      id: artifactKey,
      orgId,
      projectId: project.id,
      runId: run.id,
      artifactKey,
      version: 1,
      kind: "document",
      title: "Doc v1",
      content: "one",
    },
    {
      orgId,
      projectId: project.id,
      runId: run.id,
      artifactKey,
      version: 2,
      kind: "document",
      title: "Doc",
      content: "two",
    },
  ]);
  const [gate] = await db
    .insert(approvals)
    .values({ orgId, runId: run.id, taskId: task?.id, title: "Ship it?", prompt: "Approve the plan." })
    .returning();
  if (!task || !gate) throw new Error("seed failed");
  return { project, run, task, artifactKey, approval: gate };
}

/** Valid params and body for each operation against seeded rows. */
function argsFor(id: V1OperationId, s: Awaited<ReturnType<typeof seedRun>>): [Record<string, string>, Init] {
  const o = OPERATIONS.find((x) => x.operationId === id);
  if (!o) throw new Error(`no operation ${id}`);
  const params: Record<string, string> = {
    project: s.project.slug,
    run: s.run.id,
    task: "t1",
    approval: s.approval.id,
    artifactKey: s.artifactKey,
    version: "1",
  };
  const init: Init = { method: o.method.toUpperCase() };
  if (o.example !== undefined) init.json = o.example;
  if (id === "createProject") init.json = { name: `P ${randomUUID().slice(0, 6)}` };
  if (id === "reorderRunTasks") init.json = { keys: ["t2", "t1"] };
  if (id === "removeRunTask") params.task = "t2";
  if (id === "searchKnowledge") init.query = `?q=retries&project=${s.project.slug}`;
  return [params, init];
}

describe("REST API v1", () => {
  let t: Awaited<ReturnType<typeof createTeam>>;
  let seeded: Awaited<ReturnType<typeof seedRun>>;
  let full: Awaited<ReturnType<typeof mintApiKey>>;

  beforeAll(async () => {
    t = await createTeam();
    seeded = await seedRun(t.org.id);
    full = await mintApiKey(t.owner, t.org.slug, ALL, { name: "full" });
  });

  it("refuses a missing, malformed, unknown, revoked or expired key with 401 and WWW-Authenticate", async () => {
    const db = await getDb();
    const revoked = await mintApiKey(t.owner, t.org.slug, ["projects.read"]);
    await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, revoked.id));
    const expired = await mintApiKey(t.owner, t.org.slug, ["projects.read"], { expiresInDays: 1 });
    await db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, expired.id));
    // A key whose creator has left the organization stops working too.
    const leaver = await addMember(t.org.id, "admin", "Leaver");
    const orphan = await mintApiKey(leaver, t.org.slug, ["projects.read"]);
    expect((await call(projectsGet, {}, { headers: orphan.headers })).status).toBe(200);
    await db
      .delete(memberships)
      .where(and(eq(memberships.orgId, t.org.id), eq(memberships.userId, leaver.id)));
    const cases: Record<string, string>[] = [
      orphan.headers,
      {},
      { authorization: "Bearer" },
      { authorization: "Bearer not-a-key" },
      { authorization: `Bearer ${full.secret}x` },
      { authorization: `Token ${full.secret}` },
      revoked.headers,
      expired.headers,
    ];
    for (const headers of cases) {
      const res = await call(projectsGet, {}, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const err = await errorOf(res);
      expect(err.code).toBe("unauthenticated");
      expect(err.fields).toEqual({});
    }
  });

  it("enforces the scope of every operation: 403 naming it without, through with it", async () => {
    const scopes = [...new Set(OPERATIONS.map((o) => o.scope))];
    const without = new Map<Permission, Awaited<ReturnType<typeof mintApiKey>>>();
    const only = new Map<Permission, Awaited<ReturnType<typeof mintApiKey>>>();
    for (const scope of scopes) {
      without.set(
        scope,
        await mintApiKey(
          t.owner,
          t.org.slug,
          ALL.filter((p) => p !== scope),
        ),
      );
      only.set(scope, await mintApiKey(t.owner, t.org.slug, [scope]));
    }
    const s = await seedRun(t.org.id);
    const before = await projectCount(t.org.id);
    // Removing t2 and cancelling (which ends the run and its plan edits) come last.
    const rank = (id: string) => ["removeRunTask", "cancelRun"].indexOf(id);
    const ordered = [...OPERATIONS].sort((a, b) => rank(a.operationId) - rank(b.operationId));
    for (const o of ordered) {
      const id = o.operationId as V1OperationId;
      const [params, init] = argsFor(id, s);
      const denied = await call(HANDLERS[id], params, { ...init, headers: without.get(o.scope)?.headers });
      expect(denied.status, id).toBe(403);
      expect((await errorOf(denied)).message).toContain(`"${o.scope}"`);
      const allowed = await call(HANDLERS[id], params, { ...init, headers: only.get(o.scope)?.headers });
      expect(
        allowed.status,
        `${id}: ${allowed.status} ${allowed.status >= 300 ? await allowed.clone().text() : ""}`,
      ).toBeLessThan(300);
      await allowed.body?.cancel();
    }
    // The refused calls changed nothing: one project more (the allowed create).
    expect(await projectCount(t.org.id)).toBe(before + 1);
    expect(sent.events.some((e) => e.data.runId === s.run.id)).toBe(true);
  });

  it("answers 404 for another organization's ids and slugs, whatever the key's scopes", async () => {
    const other = await mintApiKey(t.outsider, t.otherOrg.slug, ALL);
    const s = seeded;
    for (const o of OPERATIONS) {
      const id = o.operationId as V1OperationId;
      if (!o.params) continue;
      const [params, init] = argsFor(id, s);
      const res = await call(HANDLERS[id], params, { ...init, headers: other.headers });
      expect(res.status, id).toBe(404);
      expect((await errorOf(res)).code).toBe("not_found");
    }
    // By id too, and as a list filter.
    expect((await call(projectGet, { project: s.project.id }, { headers: other.headers })).status).toBe(404);
    expect(
      (await call(runsGet, {}, { query: `?project=${s.project.id}`, headers: other.headers })).status,
    ).toBe(404);
    const list = (await (await call(runsGet, {}, { headers: other.headers })).json()) as {
      data: { id: string }[];
    };
    expect(list.data.map((r) => r.id)).not.toContain(s.run.id);
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, s.run.id));
    expect(row?.status).toBe("running");
  });

  it("searches a project's knowledge (by id or slug) and the organization's, never another organization's", async () => {
    const key = await mintApiKey(t.owner, t.org.slug, ["knowledge.read"]);
    const other = await mintApiKey(t.outsider, t.otherOrg.slug, ALL);
    const project = await createProjectRow(t.org.id);
    const document = await withTenant({ orgId: t.org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: t.org.id,
        projectId: project.id,
        source: "upload",
        key: `test:${randomUUID()}`,
        title: "Webhook retries",
        text: "# Retries\n\nWebhook deliveries back off exponentially with jitter.",
        format: "markdown",
      }),
    );
    type Result = { hits: { documentId: string; citation: string }[]; mode: string };
    for (const ref of [project.id, project.slug]) {
      const res = await call(
        knowledgeSearchGet,
        {},
        { query: `?q=jitter&project=${ref}`, headers: key.headers },
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as Result;
      expect(body.hits.map((h) => h.documentId)).toEqual([document.id]);
      expect(body.hits[0]?.citation).toContain("Webhook retries");
      expect(body.mode).toBe("text");
    }
    const orgScope = (await (
      await call(knowledgeSearchGet, {}, { query: "?q=jitter", headers: key.headers })
    ).json()) as Result;
    expect(orgScope.hits).toEqual([]);
    for (const ref of [project.id, project.slug]) {
      const res = await call(
        knowledgeSearchGet,
        {},
        { query: `?q=jitter&project=${ref}`, headers: other.headers },
      );
      expect(res.status).toBe(404);
    }
    const otherOrg = (await (
      await call(knowledgeSearchGet, {}, { query: "?q=jitter", headers: other.headers })
    ).json()) as Result;
    expect(otherOrg.hits).toEqual([]);
    const invalid = await call(knowledgeSearchGet, {}, { query: "?q=&limit=500", headers: key.headers });
    expect(invalid.status).toBe(422);
    expect(Object.keys((await errorOf(invalid)).fields).sort()).toEqual(["limit", "q"]);
  });

  it("reads projects by id or slug, creates and updates them, audited as the key", async () => {
    const created = await call(
      projectsPost,
      {},
      { json: { name: "Website", brief: "A site." }, headers: full.headers },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get("ratelimit-limit")).toBeTruthy();
    const { project } = (await created.json()) as { project: { id: string; slug: string } };
    const byId = (await (
      await call(projectGet, { project: project.id }, { headers: full.headers })
    ).json()) as {
      project: { slug: string };
    };
    expect(byId.project.slug).toBe(project.slug);
    const patched = await call(
      projectPatch,
      { project: project.id },
      { method: "PATCH", json: { description: "New" }, headers: full.headers },
    );
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { project: { description: string } }).project.description).toBe("New");
    const db = await getDb();
    const entries = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.targetId, project.id)));
    expect(entries.map((e) => e.action).sort()).toEqual(["project.create", "project.update"]);
    for (const e of entries) expect(e.metadata).toMatchObject({ via: "api_key", apiKeyId: full.id });
  });

  it("answers invalid input with 422 and field messages, a bad cursor with 400, and changes nothing", async () => {
    const before = await projectCount(t.org.id);
    const bad = await call(
      projectsPost,
      {},
      { json: { name: "x", slug: "Not A Slug" }, headers: full.headers },
    );
    expect(bad.status).toBe(422);
    const err = await errorOf(bad);
    expect(err.code).toBe("validation");
    expect(Object.keys(err.fields).sort()).toEqual(["name", "slug"]);
    expect(await projectCount(t.org.id)).toBe(before);
    const limit = await call(projectsGet, {}, { query: "?limit=500", headers: full.headers });
    expect(limit.status).toBe(422);
    expect((await errorOf(limit)).fields.limit?.[0]).toMatch(/at most 100/);
    for (const cursor of ["nope!", "bm9wZQ", encodeCursor({ createdAt: "yesterday", id: "x" })]) {
      const res = await call(projectsGet, {}, { query: `?cursor=${cursor}`, headers: full.headers });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).fields.cursor).toHaveLength(1);
    }
    const notJson = await call(
      projectsPost,
      {},
      { method: "POST", headers: { ...full.headers, "content-type": "text/plain" } },
    );
    expect(notJson.status).toBe(415);
    const reject = await call(
      approvalPost,
      { run: seeded.run.id, approval: seeded.approval.id },
      { json: { decision: "reject" }, headers: full.headers },
    );
    expect(reject.status).toBe(422);
    expect((await errorOf(reject)).fields.comment).toBeDefined();
    const usage = await call(
      usageGet,
      {},
      { query: "?from=2026-02-10&to=2026-02-01", headers: full.headers },
    );
    expect(usage.status).toBe(422);
    expect((await errorOf(usage)).fields.to).toBeDefined();
  });

  it("refuses oversized bodies (413) and NUL characters (400) before any work", async () => {
    const before = await projectCount(t.org.id);
    const big = await call(
      projectsPost,
      {},
      { json: { name: "Big", brief: "x".repeat(200_000) }, headers: full.headers },
    );
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe("payload_too_large");
    const nul = await call(projectsPost, {}, { json: { name: "Bad\u0000name" }, headers: full.headers });
    expect(nul.status).toBe(400);
    expect((await errorOf(nul)).fields.name).toBeDefined();
    const nulParam = await call(projectGet, { project: "a\u0000b" }, { headers: full.headers });
    expect(nulParam.status).toBe(400);
    expect(await projectCount(t.org.id)).toBe(before);
  });

  it("walks every page of projects and runs without duplicates or gaps, ties included", async () => {
    const t2 = await createTeam();
    const key = await mintApiKey(t2.owner, t2.org.slug, ["projects.read", "runs.read"]);
    const db = await getDb();
    const same = new Date();
    const rows = await db
      .insert(projects)
      .values(
        Array.from({ length: 23 }, (_, i) => ({
          orgId: t2.org.id,
          name: `P${i}`,
          slug: `p-${i}`,
          // A third share one timestamp: the id breaks the tie.
          createdAt: i % 3 === 0 ? same : new Date(same.getTime() - i * 1000),
        })),
      )
      .returning();
    const first = rows[0];
    if (!first) throw new Error("no rows");
    for (let i = 0; i < 12; i++)
      await createRunRow(t2.org.id, first.id, { status: i % 2 ? "completed" : "failed" });
    const walk = async (handler: Handler, query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await call(
          handler,
          {},
          { query: `?limit=5${query}${cursor ? `&cursor=${cursor}` : ""}`, headers: key.headers },
        );
        expect(res.status).toBe(200);
        const page = (await res.json()) as { data: { id: string }[]; nextCursor: string | null };
        seen.push(...page.data.map((p) => p.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      return { seen, pages };
    };
    const p = await walk(projectsGet, "");
    expect(p.seen).toHaveLength(23);
    expect(new Set(p.seen).size).toBe(23);
    expect(p.pages).toBe(5);
    const r = await walk(runsGet, "&status=completed");
    expect(r.seen).toHaveLength(6);
    expect(new Set(r.seen).size).toBe(6);
    const byProject = await walk(runsGet, `&project=${first.slug}`);
    expect(byProject.seen).toHaveLength(12);
    const def = (await (await call(projectsGet, {}, { headers: key.headers })).json()) as { data: unknown[] };
    expect(def.data).toHaveLength(20);
  });

  describe("Idempotency-Key on run creation", () => {
    const start = (key: Awaited<ReturnType<typeof mintApiKey>>, slug: string, body: unknown, ik: string) =>
      call(
        startRunPost,
        { project: slug },
        { json: body, headers: { ...key.headers, "idempotency-key": ik } },
      );
    const body = {
      goal: "Describe the architecture of the system.",
      template: "technical-architecture-overview",
    };

    it("replays the first response to a retry, refuses another body, and makes one run", async () => {
      const project = await createProjectRow(t.org.id);
      const ik = randomUUID();
      const a = await start(full, project.slug, body, ik);
      expect(a.status).toBe(201);
      const first = (await a.json()) as { run: { id: string } };
      const b = await start(full, project.slug, { template: body.template, goal: body.goal }, ik);
      expect(b.status).toBe(201);
      expect(b.headers.get("idempotent-replayed")).toBe("true");
      expect(await b.json()).toEqual(first);
      const c = await start(full, project.slug, { ...body, goal: `${body.goal} Again.` }, ik);
      expect(c.status).toBe(422);
      expect((await errorOf(c)).fields["Idempotency-Key"]).toBeDefined();
      expect(await runCount(project.id)).toBe(1);
      const db = await getDb();
      const [row] = await db.select().from(runs).where(eq(runs.id, first.run.id));
      expect(row?.startedByApiKeyId).toBe(full.id);
      // Keys are per API key: another key with the same value starts its own run.
      const other = await mintApiKey(t.owner, t.org.slug, ["runs.start"]);
      expect((await start(other, project.slug, body, ik)).status).toBe(201);
      expect(await runCount(project.id)).toBe(2);
      // Without a key, each request is a new run.
      await call(startRunPost, { project: project.slug }, { json: body, headers: full.headers });
      expect(await runCount(project.id)).toBe(3);
    });

    it("makes one run from parallel identical requests", async () => {
      const project = await createProjectRow(t.org.id);
      const ik = randomUUID();
      const results = await Promise.all(Array.from({ length: 6 }, () => start(full, project.slug, body, ik)));
      const statuses = results.map((r) => r.status);
      expect(
        statuses.every((s) => s === 201 || s === 409),
        statuses.join(),
      ).toBe(true);
      const ids = new Set(
        await Promise.all(
          results
            .filter((r) => r.status === 201)
            .map(async (r) => ((await r.json()) as { run: { id: string } }).run.id),
        ),
      );
      expect(ids.size).toBe(1);
      expect(await runCount(project.id)).toBe(1);
    });

    it("releases the key when the first request fails, and refuses a malformed key", async () => {
      const archived = await createProjectRow(t.org.id, { status: "archived" });
      const ik = randomUUID();
      expect((await start(full, archived.slug, body, ik)).status).toBe(409);
      const db = await getDb();
      await db.update(projects).set({ status: "active" }).where(eq(projects.id, archived.id));
      expect((await start(full, archived.slug, body, ik)).status).toBe(201);
      const bad = await start(full, archived.slug, body, "has space");
      expect(bad.status).toBe(400);
      expect(await runCount(archived.id)).toBe(1);
    });
  });

  it("replays a project creation with the same Idempotency-Key, and expires keys after 24 hours", async () => {
    const t5 = await createTeam();
    const key = await mintApiKey(t5.owner, t5.org.slug, ["projects.write"]);
    const headers = { ...key.headers, "idempotency-key": "create-website" };
    const a = await call(projectsPost, {}, { json: { name: "Website" }, headers });
    const b = await call(projectsPost, {}, { json: { name: "Website" }, headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(await b.json()).toEqual(await a.json());
    expect(await projectCount(t5.org.id)).toBe(1);
    // A day later the key is free again (lazily, and by the nightly purge).
    const db = await getDb();
    await db
      .update(idempotencyKeys)
      .set({ createdAt: new Date(Date.now() - IDEMPOTENCY_TTL_MS - 1000) })
      .where(eq(idempotencyKeys.orgId, t5.org.id));
    const c = await call(projectsPost, {}, { json: { name: "Website" }, headers });
    expect(c.status).toBe(201);
    expect(c.headers.get("idempotent-replayed")).toBeNull();
    expect(await projectCount(t5.org.id)).toBe(2);
    await db
      .update(idempotencyKeys)
      .set({ createdAt: new Date(Date.now() - IDEMPOTENCY_TTL_MS - 1000) })
      .where(eq(idempotencyKeys.orgId, t5.org.id));
    expect(await purgeExpiredIdempotencyKeys()).toBeGreaterThanOrEqual(1);
    const left = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.orgId, t5.org.id));
    expect(left).toHaveLength(0);
  });

  it("does not accept a signed-in session: only keys", async () => {
    actAs(t.owner);
    try {
      const res = await call(projectsGet, {}, { headers: { cookie: "authjs.session-token=whatever" } });
      expect(res.status).toBe(401);
    } finally {
      actAs(null);
    }
  });

  it("answers 429 with Retry-After past the key's limit and past the org plan's limit", async () => {
    const t3 = await createTeam();
    const key = await mintApiKey(t3.owner, t3.org.slug, ["projects.read"]);
    const ok = await call(projectsGet, {}, { headers: key.headers });
    expect(ok.status).toBe(200);
    expect(Number(ok.headers.get("ratelimit-remaining"))).toBeLessThan(POLICIES["api.key"].points);
    await (await limiterFor("api.key")).penalty(key.id, POLICIES["api.key"].points);
    const limited = await call(projectsGet, {}, { headers: key.headers });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect((await errorOf(limited)).code).toBe("rate_limited");

    // The organization's counter follows its plan: a second key of a free org is stopped too.
    const key2 = await mintApiKey(t3.owner, t3.org.slug, ["projects.read"]);
    expect(orgPolicyOf("free")).toBe("api.org.free");
    await (await limiterFor("api.org.free")).penalty(t3.org.id, POLICIES["api.org.free"].points);
    expect((await call(projectsGet, {}, { headers: key2.headers })).status).toBe(429);
    // On the team plan the same count is under its limit.
    const db = await getDb();
    await db.update(organizations).set({ plan: "team" }).where(eq(organizations.id, t3.org.id));
    expect((await call(projectsGet, {}, { headers: key2.headers })).status).toBe(200);
    expect(orgPolicyOf("enterprise")).toBe("api.org.enterprise");
    expect(orgPolicyOf("unknown")).toBe("api.org.free");
  });

  it("reads runs, tasks, artifacts and versions; decides an approval; cancels a run", async () => {
    const s = await seedRun(t.org.id);
    const h = { headers: full.headers };
    const run = (await (await call(runGet, { run: s.run.id }, h)).json()) as {
      run: { id: string; projectSlug: string };
      approvals: { id: string }[];
    };
    expect(run.run.projectSlug).toBe(s.project.slug);
    expect(run.approvals.map((a) => a.id)).toEqual([s.approval.id]);
    const tasks = (await (await call(tasksGet, { run: s.run.id }, h)).json()) as { data: { key: string }[] };
    expect(tasks.data.map((x) => x.key)).toEqual(["t1", "t2"]);
    for (const ref of ["t1", s.task.id]) {
      const one = await call(taskGet, { run: s.run.id, task: ref }, h);
      expect(((await one.json()) as { task: { id: string } }).task.id).toBe(s.task.id);
    }
    expect((await call(taskGet, { run: s.run.id, task: "t9" }, h)).status).toBe(404);
    const arts = (await (await call(artifactsGet, { run: s.run.id }, h)).json()) as {
      data: { id: string; title: string; latestVersion: number; versions: unknown[] }[];
    };
    expect(arts.data).toEqual([
      expect.objectContaining({ id: s.artifactKey, title: "Doc", latestVersion: 2 }),
    ]);
    expect(arts.data[0]?.versions).toHaveLength(2);
    const v1 = await call(artifactVersionGet, { artifactKey: s.artifactKey, version: "1" }, h);
    expect(((await v1.json()) as { artifact: { content: string } }).artifact.content).toBe("one");
    expect((await call(artifactVersionGet, { artifactKey: s.artifactKey, version: "3" }, h)).status).toBe(
      404,
    );
    expect((await call(artifactVersionGet, { artifactKey: s.artifactKey, version: "01" }, h)).status).toBe(
      404,
    );

    const decided = await call(
      approvalPost,
      { run: s.run.id, approval: s.approval.id },
      { json: { decision: "approve" }, headers: full.headers },
    );
    expect(decided.status).toBe(200);
    expect(await decided.json()).toEqual({ approval: { id: s.approval.id, status: "approved" } });
    const again = await call(
      approvalPost,
      { run: s.run.id, approval: s.approval.id },
      { json: { decision: "approve" }, headers: full.headers },
    );
    expect(again.status).toBe(409);
    const cancelled = await call(cancelPost, { run: s.run.id }, { method: "POST", headers: full.headers });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { run: { status: string } }).run.status).toBe("cancelled");
    expect(
      (await call(cancelPost, { run: s.run.id }, { method: "POST", headers: full.headers })).status,
    ).toBe(409);
  });

  it("edits a run's plan: add, change (by key or id), re-order, remove, contexts, approve; audited as the key", async () => {
    const s = await seedRun(t.org.id);
    const h = full.headers;
    const run = s.run.id;
    const added = await call(
      tasksPost,
      { run },
      {
        json: {
          title: "Write the release notes",
          description: "Summarize the changes.",
          agentSlug: "documentation-writer",
          phaseKey: "build",
          dependsOn: ["t1"],
          acceptanceCriteria: ["Lists every change"],
        },
        headers: h,
      },
    );
    expect(added.status).toBe(201);
    const task = (
      (await added.json()) as { task: { id: string; key: string; dependsOn: string[]; status: string } }
    ).task;
    expect(task).toMatchObject({ key: "write-the-release-notes", dependsOn: ["t1"], status: "todo" });
    const badAgent = await call(
      tasksPost,
      { run },
      {
        json: {
          title: "X",
          description: "Y",
          agentSlug: "wizard",
          phaseKey: "build",
          acceptanceCriteria: ["Z"],
        },
        headers: h,
      },
    );
    expect(badAgent.status).toBe(422);
    expect((await errorOf(badAgent)).fields.agentSlug?.[0]).toContain("wizard");
    const cycle = await call(
      taskPatch,
      { run, task: "t1" },
      { method: "PATCH", json: { dependsOn: [task.key] }, headers: h },
    );
    expect(cycle.status).toBe(422);
    const patched = await call(
      taskPatch,
      { run, task: task.id },
      { method: "PATCH", json: { priority: "high" }, headers: h },
    );
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { task: { priority: string } }).task.priority).toBe("high");
    const order = await call(planReorderPost, { run }, { json: { keys: [task.key, "t2"] }, headers: h });
    expect(order.status).toBe(200);
    const ctxRes = await call(
      taskContextPut,
      { run, task: "t2" },
      { method: "PUT", json: { context: "Mind the API." }, headers: h },
    );
    expect(await ctxRes.json()).toEqual({ task: { key: "t2", context: "Mind the API." } });
    const projRes = await call(
      projectContextPut,
      { project: s.project.id },
      { method: "PUT", json: { context: "Conventions." }, headers: h },
    );
    expect(((await projRes.json()) as { project: { context: string } }).project.context).toBe("Conventions.");
    const removed = await call(taskDelete, { run, task: task.key }, { method: "DELETE", headers: h });
    expect(await removed.json()).toEqual({ key: task.key, removed: true });
    expect((await call(taskDelete, { run, task: task.key }, { method: "DELETE", headers: h })).status).toBe(
      404,
    );
    const approved = await call(planApprovePost, { run }, { method: "POST", headers: h });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { run: { id: string } }).run.id).toBe(run);
    expect((await call(planApprovePost, { run }, { method: "POST", headers: h })).status).toBe(409);
    const db = await getDb();
    const entries = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.targetId, run)));
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(["plan.edit", "plan.approve"]));
    for (const e of entries) expect(e.metadata).toMatchObject({ via: "api_key", apiKeyId: full.id });
    // A finished run's plan no longer changes.
    await db.update(runs).set({ status: "completed" }).where(eq(runs.id, run));
    expect((await call(taskDelete, { run, task: "t2" }, { method: "DELETE", headers: h })).status).toBe(409);
  });

  it("streams a run's events as SSE and resumes after Last-Event-ID", async () => {
    const project = await createProjectRow(t.org.id);
    const run = await createRunRow(t.org.id, project.id, { status: "completed" });
    const scope = { orgId: t.org.id, runId: run.id };
    await withTenant({ orgId: t.org.id }, (tx) =>
      appendRunEvents(tx, scope, [
        { type: "run.status", status: "running" },
        { type: "run.status", status: "completed" },
      ]),
    );
    const res = await call(eventsGet, { run: run.id }, { headers: full.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const chunks = parseRunStream(await res.text());
    const events = chunks.flatMap((c) => (c.type === "event" ? [c.event] : []));
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(chunks.at(-1)?.type).toBe("done");
    const resumed = await call(
      eventsGet,
      { run: run.id },
      { headers: { ...full.headers, "last-event-id": "1" } },
    );
    const later = parseRunStream(await resumed.text()).flatMap((c) =>
      c.type === "event" ? [c.event.seq] : [],
    );
    expect(later).toEqual([2]);
  });

  it("reports usage by day and by month", async () => {
    const t4 = await createTeam();
    const key = await mintApiKey(t4.owner, t4.org.slug, ["runs.read"]);
    const db = await getDb();
    const call1 = { orgId: t4.org.id, agentSlug: "architect", provider: "demo", modelId: "demo" };
    await db.insert(modelCalls).values([
      { ...call1, inputTokens: 10, outputTokens: 5, createdAt: new Date("2026-01-31T23:00:00Z") },
      { ...call1, inputTokens: 20, outputTokens: 5, createdAt: new Date("2026-02-01T01:00:00Z") },
      { ...call1, inputTokens: 40, outputTokens: 5, createdAt: new Date("2026-02-03T01:00:00Z") },
    ]);
    const byDay = (await (
      await call(usageGet, {}, { query: "?from=2026-01-31&to=2026-02-03", headers: key.headers })
    ).json()) as { periods: { period: string; inputTokens: number }[]; totals: { calls: number } };
    expect(byDay.periods.map((p) => [p.period, p.inputTokens])).toEqual([
      ["2026-01-31", 10],
      ["2026-02-01", 20],
      ["2026-02-02", 0],
      ["2026-02-03", 40],
    ]);
    expect(byDay.totals.calls).toBe(3);
    const byMonth = (await (
      await call(
        usageGet,
        {},
        { query: "?from=2026-01-01&to=2026-02-28&groupBy=month", headers: key.headers },
      )
    ).json()) as { periods: { period: string; inputTokens: number }[] };
    expect(byMonth.periods.map((p) => [p.period, p.inputTokens])).toEqual([
      ["2026-01", 10],
      ["2026-02", 60],
    ]);
  });

  it("serves the OpenAPI document without a key", async () => {
    const res = await openapiGet(new Request("http://localhost/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/runs/{run}/events");
  });
});

async function projectCount(orgId: string) {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(projects).where(eq(projects.orgId, orgId));
  return row?.n ?? 0;
}

async function runCount(projectId: string) {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(runs).where(eq(runs.projectId, projectId));
  return row?.n ?? 0;
}

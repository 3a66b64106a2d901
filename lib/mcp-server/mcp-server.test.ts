import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as route from "@/app/api/mcp/route";
import { getDb, withTenant } from "@/db";
import {
  apiKeys,
  approvals,
  artifacts,
  auditLogs,
  knowledgeDocuments,
  projects,
  runEvents,
  runTasks,
} from "@/db/schema";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { PERMISSIONS, type Permission, permissionsOf } from "@/lib/auth/permissions";
import { saveTextDocument } from "@/lib/knowledge/save-text-document";
import { resolveOrgContext } from "@/lib/orgs/context";
import { limiterFor } from "@/lib/rate-limit";
import { POLICIES } from "@/lib/rate-limit/policies";
import { initOrigin } from "@/lib/repos/init-origin";
import { originPath } from "@/lib/repos/paths";
import { mintApiKey } from "@/tests/support/api-keys";
import { createTeam } from "@/tests/support/factories";
import { commitToOrigin } from "@/tests/support/repo-fixtures";
import { serveRouteHandlers } from "@/tests/support/route-http-server";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { MCP_TOOLS } from "./tools";

const sent = vi.hoisted(() => ({ events: [] as { name: string; data: Record<string, unknown> }[] }));

// The run function is not under test: start_run must only queue the run and ask for it.
vi.mock("@/inngest/client", () => ({
  inngest: {
    send: async (e: { name: string; data: Record<string, unknown> }) => {
      sent.events.push(e);
      return { ids: ["x"] };
    },
  },
}));

let app: Awaited<ReturnType<typeof serveRouteHandlers>>;
const mcpUrl = () => new URL(`${app.url}/api/mcp`);

beforeAll(async () => {
  app = await serveRouteHandlers({ "/api/mcp": { POST: route.POST, GET: route.GET, DELETE: route.DELETE } });
});
afterAll(() => app.close());
beforeEach(() => {
  sent.events = [];
});

const clients: Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
});

async function connect(secret: string): Promise<Client> {
  const client = new Client({ name: "vitest-ide", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(mcpUrl(), {
    requestInit: { headers: { authorization: `Bearer ${secret}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured result of a successful call (the JSON text says the same). */
async function ok<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown>) {
  const result = await call(client, name, args);
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
  expect(result.isError, text).toBeFalsy();
  expect(JSON.parse(text)).toEqual(result.structuredContent);
  return result.structuredContent as T;
}

function errorText(result: CallToolResult): string {
  expect(result.isError).toBe(true);
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
}

const MEMBER = permissionsOf("member");

type Team = Awaited<ReturnType<typeof createTeam>>;

/**
 * A project with a run (started with "review the plan first") whose plan has three tasks: t1 done,
 * t2 waiting for an external worker, t3 waiting on t2.
 */
async function seedRun(t: Team) {
  const db = await getDb();
  const project = await createProjectRow(t.org.id);
  const run = await createRunRow(t.org.id, project.id, {
    status: "running",
    templateSlug: "feature-build",
    inputTokens: 1200,
    outputTokens: 300,
    costUsd: 0.25,
    branch: "dm/1-thing",
    reviewPlan: true,
  });
  const base = { orgId: t.org.id, runId: run.id, agentSlug: "backend-engineer" };
  const [t1, t2, t3] = await db
    .insert(runTasks)
    .values([
      { ...base, key: "t1", phaseKey: "specify", title: "Specify", status: "done", position: 0 },
      {
        ...base,
        key: "t2",
        phaseKey: "build",
        title: "Build the endpoint",
        description: "Add GET /things.",
        // The run reached it (its dependency is done) and waits for an external worker.
        status: "waiting_worker",
        worker: "external",
        dependsOn: ["t1"],
        acceptanceCriteria: ["GET /things answers 200 with a list"],
        context: "Use the existing router.",
        position: 1,
      },
      {
        ...base,
        key: "t3",
        phaseKey: "verify",
        title: "Review",
        status: "todo",
        dependsOn: ["t2"],
        position: 2,
      },
    ])
    .returning();
  if (!t1 || !t2 || !t3) throw new Error("tasks not seeded");
  const [artifact] = await db
    .insert(artifacts)
    .values({
      orgId: t.org.id,
      projectId: project.id,
      runId: run.id,
      taskId: t1.id,
      artifactKey: t1.id, // any uuid; the first version's id in the app
      version: 1,
      kind: "technical_specification",
      title: "Things spec",
      content: "# Things\n\nv1",
      summary: "The spec.",
      agentSlug: "backend-engineer",
    })
    .returning();
  await db.insert(artifacts).values({
    orgId: t.org.id,
    projectId: project.id,
    runId: run.id,
    taskId: t1.id,
    artifactKey: t1.id,
    version: 2,
    kind: "technical_specification",
    title: "Things spec",
    content: "# Things\n\nv2",
    summary: "The spec, revised.",
    agentSlug: "backend-engineer",
  });
  await db.insert(approvals).values({
    orgId: t.org.id,
    runId: run.id,
    taskId: t1.id,
    title: "Approve the spec",
    prompt: "Is the spec right?",
  });
  return { project, run, tasks: { t1, t2, t3 }, artifactId: artifact?.artifactKey ?? "" };
}

describe("MCP server at /api/mcp", () => {
  it("connects with an API key and lists every tool with its scope", async () => {
    const t = await createTeam();
    const key = await mintApiKey(t.admin, t.org.slug, MEMBER);
    const client = await connect(key.secret);
    expect(client.getServerVersion()?.name).toBe("dafnckmachine");
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(MCP_TOOLS.map((tool) => tool.name));
    for (const tool of tools) {
      const def = MCP_TOOLS.find((d) => d.name === tool.name);
      expect(tool.description).toContain(`"${def?.permission}" scope`);
      expect(tool.inputSchema.type).toBe("object");
    }
    expect(tools.find((x) => x.name === "get_task")?.inputSchema.required).toEqual(["run", "task"]);
  });

  it("answers 401 with WWW-Authenticate to no key, a wrong, a revoked and an expired key, before any MCP", async () => {
    const t = await createTeam();
    const revoked = await mintApiKey(t.admin, t.org.slug, MEMBER);
    await revokeApiKey(
      await resolveOrgContext(t.owner, t.org.slug, "api_keys.manage", { ip: null, userAgent: null }),
      revoked.id,
    );
    const expired = await mintApiKey(t.admin, t.org.slug, MEMBER, { expiresInDays: 1 });
    await (await getDb())
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, expired.id));
    const initialize = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
    });
    const bearer = (s: string) => ({ authorization: `Bearer ${s}` });
    for (const headers of [
      {},
      bearer("dmk_000000000000_nope"),
      bearer(revoked.secret),
      bearer(expired.secret),
    ] as Record<string, string>[]) {
      for (const method of ["POST", "GET", "DELETE"]) {
        const res = await fetch(mcpUrl(), {
          method,
          headers: {
            ...headers,
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: method === "POST" ? initialize : undefined,
        });
        expect(res.status, `${method} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
        const body = await res.text();
        for (const secret of [revoked.secret, expired.secret]) expect(body).not.toContain(secret);
        expect(body).not.toMatch(/hash|select|stack/i);
      }
    }
    await expect(connect(revoked.secret)).rejects.toThrow();
    // A valid key may not open a stream or end a session: the server is stateless.
    const good = await mintApiKey(t.admin, t.org.slug, MEMBER);
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(mcpUrl(), { method, headers: bearer(good.secret) });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
  });

  it("refuses past the per-key rate limit with 429 and Retry-After", async () => {
    const t = await createTeam();
    const key = await mintApiKey(t.admin, t.org.slug, MEMBER);
    const other = await mintApiKey(t.admin, t.org.slug, MEMBER);
    await (await limiterFor("mcp.key")).penalty(key.id, POLICIES["mcp.key"].points);
    const res = await fetch(mcpUrl(), { method: "POST", headers: key.headers, body: "{}" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another key of the same organization is not slowed by it.
    const client = await connect(other.secret);
    expect((await client.listTools()).tools.length).toBe(MCP_TOOLS.length);
  });

  it("counts search_knowledge against the user's knowledge-search limit, like the HTTP route", async () => {
    const t = await createTeam();
    const key = await mintApiKey(t.admin, t.org.slug, MEMBER);
    const client = await connect(key.secret);
    expect(
      (await ok<{ results: unknown[] }>(client, "search_knowledge", { query: "things" })).results,
    ).toEqual([]);
    await (await limiterFor("knowledge.search.user")).penalty(
      t.admin.id,
      POLICIES["knowledge.search.user"].points,
    );
    expect(errorText(await call(client, "search_knowledge", { query: "things" }))).toMatch(
      /^Too many requests\. Try again in \d+ seconds?\.$/,
    );
    // Other tools of the same key are not slowed by it.
    expect((await ok<{ projects: unknown[] }>(client, "list_projects", {})).projects).toEqual([]);
  });

  it("enforces each tool's scope: a key without it gets a tool error naming the scope", async () => {
    const t = await createTeam();
    const { project, run, artifactId } = await seedRun(t);
    // Valid arguments for every tool, so only the scope can refuse; a new tool must add its own.
    const samples: Record<string, Record<string, unknown>> = {
      list_projects: {},
      get_project: { project: project.slug },
      update_project_context: { project: project.slug, context: "Use pnpm." },
      list_agents: {},
      get_agent_prompt: { agent: "backend-engineer" },
      list_runs: {},
      start_run: { project: project.slug, goal: "Add a things endpoint to the API." },
      get_run_status: { run: run.id },
      list_run_artifacts: { run: run.id },
      get_artifact: { run: run.id, artifact: artifactId },
      list_tasks: { run: run.id },
      get_task: { run: run.id, task: "t2" },
      get_next_ready_task: { run: run.id },
      create_task: {
        run: run.id,
        key: "new-task",
        title: "Document things",
        description: "Document the things endpoint.",
        agentSlug: "documentation-writer",
        phaseKey: "verify",
        dependsOn: ["t2"],
        acceptanceCriteria: ["The README documents GET /things"],
      },
      update_task: { run: run.id, task: "new-task", priority: "high" },
      remove_task: { run: run.id, task: "new-task" },
      reorder_tasks: { run: run.id, keys: ["t3"] },
      approve_run_plan: { run: run.id },
      update_task_context: { run: run.id, task: "t3", context: "Check the pagination." },
      claim_task: { run: run.id, task: "t2" },
      complete_task: { run: run.id, task: "t2", summary: "Added GET /things." },
      add_insight: { run: run.id, text: "Things are paginated." },
      search_knowledge: { query: "things", project: project.slug },
    };
    expect(Object.keys(samples).sort()).toEqual(MCP_TOOLS.map((tool) => tool.name).sort());
    const scopes = [...new Set(MCP_TOOLS.map((tool) => tool.permission))];
    const clientsWithout = new Map<Permission, Client>();
    for (const scope of scopes) {
      const key = await mintApiKey(
        t.admin,
        t.org.slug,
        MEMBER.filter((p) => p !== scope),
      );
      clientsWithout.set(scope, await connect(key.secret));
    }
    const full = await connect((await mintApiKey(t.admin, t.org.slug, MEMBER)).secret);
    for (const tool of MCP_TOOLS) {
      const refused = await call(
        clientsWithout.get(tool.permission) as Client,
        tool.name,
        samples[tool.name] ?? {},
      );
      expect(errorText(refused), tool.name).toBe(`This API key lacks the "${tool.permission}" scope.`);
    }
    // Nothing was changed by the refused calls.
    const db = await getDb();
    expect((await db.select().from(projects).where(eq(projects.id, project.id)))[0]?.context).toBe("");
    expect(await db.select().from(runEvents).where(eq(runEvents.runId, run.id))).toHaveLength(0);
    expect(
      (await db.select().from(runTasks).where(eq(runTasks.runId, run.id))).map((x) => x.key).sort(),
    ).toEqual(["t1", "t2", "t3"]);
    expect(sent.events).toHaveLength(0);
    // The same calls with every scope succeed.
    for (const tool of MCP_TOOLS) {
      const result = await call(full, tool.name, samples[tool.name] ?? {});
      expect(result.isError, `${tool.name}: ${JSON.stringify(result.content)}`).toBeFalsy();
    }
    // A scope the creator's role lacks is not granted by the key: a viewer's key cannot start runs.
    const viewerKey = await mintApiKey(t.owner, t.org.slug, ["runs.read", "runs.start"]);
    await (await getDb())
      .update(apiKeys)
      .set({ createdById: t.viewer.id })
      .where(eq(apiKeys.id, viewerKey.id));
    const asViewer = await connect(viewerKey.secret);
    expect(errorText(await call(asViewer, "start_run", samples.start_run ?? {}))).toMatch(
      /"runs.start" scope/,
    );
  });

  it("rejects invalid input with the SDK's validation error and changes nothing", async () => {
    const t = await createTeam();
    const client = await connect((await mintApiKey(t.admin, t.org.slug, MEMBER)).secret);
    expect(errorText(await call(client, "get_run_status", {}))).toMatch(/Input validation error.*run/s);
    expect(errorText(await call(client, "get_run_status", { run: "not-a-uuid" }))).toMatch(
      /Input validation error/,
    );
    const { project } = await seedRun(t);
    expect(errorText(await call(client, "start_run", { project: project.slug, goal: "short" }))).toMatch(
      /goal/i,
    );
    expect(
      errorText(await call(client, "update_project_context", { project: project.slug, context: "a\u0000b" })),
    ).toBe("Some fields contain a NUL character. context: Must not contain a NUL character (\\u0000).");
    expect(sent.events).toHaveLength(0);
  });

  it("answers not found for another organization's projects, runs and tasks", async () => {
    const t = await createTeam();
    const theirs = await seedRun(t);
    const other = await createTeam();
    const client = await connect((await mintApiKey(other.admin, other.org.slug, MEMBER)).secret);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["get_project", { project: theirs.project.slug }, /Project not found/],
      ["update_project_context", { project: theirs.project.slug, context: "x" }, /Project not found/],
      ["start_run", { project: theirs.project.slug, goal: "Take over their project." }, /Project not found/],
      ["get_run_status", { run: theirs.run.id }, /Run not found/],
      ["list_tasks", { run: theirs.run.id }, /Run not found/],
      ["get_task", { run: theirs.run.id, task: "t2" }, /Run not found/],
      ["list_run_artifacts", { run: theirs.run.id }, /Run not found/],
      ["get_artifact", { run: theirs.run.id, artifact: theirs.artifactId }, /Run not found/],
      ["get_next_ready_task", { run: theirs.run.id }, /Run not found/],
      ["add_insight", { run: theirs.run.id, text: "Injected." }, /Run not found/],
      ["search_knowledge", { query: "things", project: theirs.project.slug }, /Project not found/],
      [
        "create_task",
        {
          run: theirs.run.id,
          title: "Injected",
          description: "Injected.",
          agentSlug: "coder",
          phaseKey: "build",
          acceptanceCriteria: ["x"],
        },
        /Run not found/,
      ],
      ["update_task", { run: theirs.run.id, task: "t3", title: "Injected" }, /Run not found/],
      ["remove_task", { run: theirs.run.id, task: "t3" }, /Run not found/],
      ["reorder_tasks", { run: theirs.run.id, keys: ["t3"] }, /Run not found/],
      ["approve_run_plan", { run: theirs.run.id }, /Run not found/],
      ["update_task_context", { run: theirs.run.id, task: "t3", context: "x" }, /Run not found/],
      ["claim_task", { run: theirs.run.id, task: "t2" }, /Run not found/],
      ["complete_task", { run: theirs.run.id, task: "t2", summary: "x" }, /Run not found/],
    ];
    for (const [name, args, message] of cases) {
      expect(errorText(await call(client, name, args)), name).toMatch(message);
    }
    expect((await ok<{ runs: unknown[] }>(client, "list_runs", {})).runs).toEqual([]);
    expect((await ok<{ task: unknown }>(client, "get_next_ready_task", {})).task).toBeNull();
    // Their organization's own knowledge is never found from ours.
    await withTenant({ orgId: t.org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: t.org.id,
        projectId: null,
        source: "upload",
        key: "upload:theirs",
        title: "Things",
        text: "Things are paginated.",
        format: "markdown",
      }),
    );
    expect(
      (await ok<{ results: unknown[] }>(client, "search_knowledge", { query: "things" })).results,
    ).toEqual([]);
    const db = await getDb();
    expect(await db.select().from(runEvents).where(eq(runEvents.runId, theirs.run.id))).toHaveLength(0);
    expect(sent.events).toHaveLength(0);
  });

  it("starts a run and reads its status", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const key = await mintApiKey(t.admin, t.org.slug, ["projects.read", "runs.read", "runs.start"]);
    const client = await connect(key.secret);
    const { projects: listed } = await ok<{ projects: { slug: string }[] }>(client, "list_projects", {});
    expect(listed.map((p) => p.slug)).toEqual([project.slug]);
    const { run } = await ok<{ run: { id: string; status: string } }>(client, "start_run", {
      project: project.slug,
      goal: "Add a things endpoint to the API.",
      template: "feature-build",
    });
    expect(run.status).toBe("queued");
    expect(sent.events.map((e) => [e.name, e.data.runId])).toEqual([["runs/run.requested", run.id]]);
    const status = await ok<{
      run: { id: string; status: string; goal: string; project: { slug: string } };
      tasks: { total: number };
      cost: { costUsd: number };
      pendingApprovals: unknown[];
      phase: unknown;
    }>(client, "get_run_status", { run: run.id });
    expect(status.run).toMatchObject({
      id: run.id,
      status: "queued",
      goal: "Add a things endpoint to the API.",
    });
    expect(status.run.project.slug).toBe(project.slug);
    expect(status).toMatchObject({
      tasks: { total: 0 },
      cost: { costUsd: 0 },
      pendingApprovals: [],
      phase: null,
    });
    // The audit entry names the key it was started with.
    const [entry] = await (await getDb())
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "run.start")));
    expect(entry?.metadata).toMatchObject({ via: "api_key", apiKeyId: key.id });
  });

  it("reads a run's status, tasks, the next ready task, artifacts and agents' prompts", async () => {
    const t = await createTeam();
    const { run, tasks, artifactId } = await seedRun(t);
    const client = await connect((await mintApiKey(t.admin, t.org.slug, MEMBER)).secret);

    const status = await ok<Record<string, unknown>>(client, "get_run_status", { run: run.id });
    expect(status).toMatchObject({
      run: { id: run.id, status: "running", branch: "dm/1-thing" },
      phase: { key: "build", name: "Build" },
      tasks: {
        total: 3,
        done: 1,
        byStatus: { done: 1, waiting_worker: 1, todo: 1 },
        waitingForWorker: 1,
        claimedByWorker: 0,
      },
      cost: { inputTokens: 1200, outputTokens: 300, costUsd: 0.25 },
      pendingApprovals: [{ title: "Approve the spec", prompt: "Is the spec right?", task: "t1" }],
    });

    const all = await ok<{ tasks: { key: string }[] }>(client, "list_tasks", { run: run.id });
    expect(all.tasks.map((x) => x.key)).toEqual(["t1", "t2", "t3"]);
    const todo = await ok<{ tasks: { key: string }[] }>(client, "list_tasks", {
      run: run.id,
      status: "todo",
    });
    expect(todo.tasks.map((x) => x.key)).toEqual(["t3"]);

    const { task } = await ok<{ task: Record<string, unknown> }>(client, "get_task", {
      run: run.id,
      task: "t2",
    });
    expect(task).toMatchObject({
      id: tasks.t2.id,
      key: "t2",
      worker: "external",
      description: "Add GET /things.",
      acceptanceCriteria: ["GET /things answers 200 with a list"],
      context: "Use the existing router.",
      dependencies: [{ key: "t1", title: "Specify", status: "done" }],
      claimed: false,
    });
    // By id too; an unknown task is not found.
    expect(
      (await ok<{ task: { key: string } }>(client, "get_task", { run: run.id, task: tasks.t3.id })).task.key,
    ).toBe("t3");
    expect(errorText(await call(client, "get_task", { run: run.id, task: "t9" }))).toBe("Task not found.");

    for (const args of [{ run: run.id }, {}, { externalOnly: true }]) {
      const next = await ok<{ task: { key: string }; run: { id: string } }>(
        client,
        "get_next_ready_task",
        args,
      );
      expect(next.task.key).toBe("t2");
      expect(next.run.id).toBe(run.id);
    }

    const { artifacts: listed } = await ok<{ artifacts: Record<string, unknown>[] }>(
      client,
      "list_run_artifacts",
      {
        run: run.id,
      },
    );
    expect(listed).toEqual([
      expect.objectContaining({
        id: artifactId,
        title: "Things spec",
        version: 2,
        versions: [1, 2],
        task: "t1",
      }),
    ]);
    expect(listed[0]).not.toHaveProperty("content");
    const latest = await ok<{ artifact: { content: string; version: number } }>(client, "get_artifact", {
      run: run.id,
      artifact: artifactId,
    });
    expect(latest.artifact).toMatchObject({ version: 2, content: "# Things\n\nv2" });
    const first = await ok<{ artifact: { content: string } }>(client, "get_artifact", {
      run: run.id,
      artifact: artifactId,
      version: 1,
    });
    expect(first.artifact.content).toBe("# Things\n\nv1");

    const { agents } = await ok<{ agents: { slug: string }[] }>(client, "list_agents", {});
    expect(agents.map((a) => a.slug)).toContain("backend-engineer");
    const prompt = await ok<{ agent: { slug: string }; prompt: string }>(client, "get_agent_prompt", {
      agent: "backend-engineer",
    });
    expect(prompt.agent.slug).toBe("backend-engineer");
    expect(prompt.prompt.length).toBeGreaterThan(200);
    expect(errorText(await call(client, "get_agent_prompt", { agent: "no-such-agent" }))).toBe(
      "Agent not found.",
    );
  });

  it("updates a project's context and adds an insight to a run's feed", async () => {
    const t = await createTeam();
    const { project, run, tasks } = await seedRun(t);
    const key = await mintApiKey(t.admin, t.org.slug, MEMBER);
    const client = await connect(key.secret);
    await ok(client, "update_project_context", { project: project.slug, context: "Use pnpm." });
    const replaced = await ok<{ project: { context: string } }>(client, "update_project_context", {
      project: project.slug,
      context: "Use pnpm.\n\nTests live beside the code.",
    });
    expect(replaced.project.context).toBe("Use pnpm.\n\nTests live beside the code.");
    const read = await ok<{ project: { context: string; brief: string } }>(client, "get_project", {
      project: project.slug,
    });
    expect(read.project).toMatchObject({
      context: "Use pnpm.\n\nTests live beside the code.",
      brief: "Build a thing.",
    });
    const db = await getDb();
    const audits = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "project.context_update")));
    expect(audits).toHaveLength(2);
    expect(audits[0]?.metadata).toMatchObject({ via: "api_key", apiKeyId: key.id });

    await ok(client, "add_insight", { run: run.id, task: "t2", text: "The router caches per request." });
    await ok(client, "add_insight", { run: run.id, text: "Prefer small PRs." });
    const events = await db
      .select()
      .from(runEvents)
      .where(eq(runEvents.runId, run.id))
      .orderBy(runEvents.seq);
    expect(events.map((e) => ({ type: e.type, ...e.data }))).toEqual([
      {
        type: "insight",
        taskId: tasks.t2.id,
        agentSlug: "backend-engineer",
        text: "The router caches per request.",
      },
      { type: "insight", taskId: null, agentSlug: "external-worker", text: "Prefer small PRs." },
    ]);
    // Kept in the project's knowledge too, one document per event, with the task and agent.
    const kept = await db
      .select()
      .from(knowledgeDocuments)
      .where(eq(knowledgeDocuments.runId, run.id))
      .orderBy(knowledgeDocuments.key);
    expect(kept.map((d) => [d.key, d.source, d.projectId, d.taskId, d.agentSlug, d.title])).toEqual([
      [
        `insight:run:${run.id}:event:1`,
        "insight",
        run.projectId,
        tasks.t2.id,
        "backend-engineer",
        "The router caches per request.",
      ],
      [
        `insight:run:${run.id}:event:2`,
        "insight",
        run.projectId,
        null,
        "external-worker",
        "Prefer small PRs.",
      ],
    ]);
    const found = await ok<{ results: { title: string; documentId: string; citation: string }[] }>(
      client,
      "search_knowledge",
      { query: "router caches", project: project.slug },
    );
    expect(found.results.map((r) => r.documentId)).toEqual([kept[0]?.id]);
    expect(found.results[0]?.citation).toContain("The router caches per request.");
    // A key without `knowledge.write` still adds to the feed, but keeps nothing in the knowledge base.
    const feedOnly = await connect(
      (await mintApiKey(t.admin, t.org.slug, ["runs.read", "runs.start", "knowledge.read"])).secret,
    );
    const added = await ok<{ insight: { seq: number; documentId: string | null } }>(feedOnly, "add_insight", {
      run: run.id,
      text: "Feed only.",
    });
    expect(added.insight).toMatchObject({ seq: 3, documentId: null });
    expect(
      await db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.runId, run.id)),
    ).toHaveLength(2);
    // An archived project's knowledge is read-only: the insight reaches the feed only, and says so.
    await db.update(projects).set({ status: "archived" }).where(eq(projects.id, project.id));
    const archived = await ok<{
      insight: { seq: number; documentId: string | null; knowledgeNote?: string };
    }>(client, "add_insight", { run: run.id, text: "After the archive." });
    expect(archived.insight).toMatchObject({
      seq: 4,
      documentId: null,
      knowledgeNote: "Added to the run's feed only: the project is archived, so its knowledge is read-only.",
    });
    expect(
      await db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.runId, run.id)),
    ).toHaveLength(2);
  });

  it("connects, lists tools, creates a task, completes it, and reads a run's status", async () => {
    const t = await createTeam();
    const db = await getDb();
    const project = await createProjectRow(t.org.id);
    const origin = originPath(t.org.id, project.id);
    await initOrigin(origin, {
      defaultBranch: "main",
      files: [{ path: "README.md", content: "# Things\n" }],
    });
    const run = await createRunRow(t.org.id, project.id, { status: "running", branch: "dm/1-things" });
    // The orchestrator's plan so far: the spec is done, its documentation is next.
    const plan = { orgId: t.org.id, runId: run.id, agentSlug: "technical-spec-writer" };
    await db.insert(runTasks).values([
      { ...plan, key: "spec", phaseKey: "specify", title: "Specify things", status: "done", position: 0 },
      {
        ...plan,
        key: "docs",
        phaseKey: "specify",
        title: "Document things",
        dependsOn: ["spec"],
        position: 1,
      },
    ]);
    const key = await mintApiKey(t.admin, t.org.slug, ["projects.read", "runs.read", "runs.start"], {
      name: "cursor",
    });

    const client = await connect(key.secret);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(["create_task", "claim_task", "complete_task", "get_run_status"]),
    );

    const created = await ok<{ task: { key: string; status: string } }>(client, "create_task", {
      run: run.id,
      key: "build-things",
      title: "Build the things endpoint",
      description: "Add GET /things returning the list of things.",
      agentSlug: "backend-engineer",
      phaseKey: "build",
      phaseName: "Build",
      dependsOn: ["spec"],
      acceptanceCriteria: ["GET /things answers 200 with a JSON list"],
      worker: "external",
    });
    expect(created.task).toMatchObject({ key: "build-things", status: "todo" });
    const refused = errorText(
      await call(client, "create_task", {
        run: run.id,
        key: "loop",
        title: "Loop",
        description: "Depends on itself.",
        agentSlug: "backend-engineer",
        phaseKey: "build",
        dependsOn: ["loop"],
        acceptanceCriteria: ["x"],
      }),
    );
    expect(refused).toBe('Task "loop" depends on itself. Remove "loop" from its dependsOn.');

    // The run function reaches the task (its dependency is done) and waits for an external worker;
    // it is not under test here, so the fixture moves it as the scheduler does.
    await db
      .update(runTasks)
      .set({ status: "waiting_worker" })
      .where(and(eq(runTasks.runId, run.id), eq(runTasks.key, "build-things")));

    const next = await ok<{ task: { key: string } }>(client, "get_next_ready_task", { externalOnly: true });
    expect(next.task.key).toBe("build-things");
    const { claim, cloneUrl } = await ok<{
      cloneUrl: string;
      claim: {
        task: { key: string };
        agent: { slug: string; prompt: string };
        branch: string;
        cloneUrlPath: string;
      };
    }>(client, "claim_task", { run: run.id, task: "build-things" });
    expect(claim.task.key).toBe("build-things");
    expect(claim.agent.slug).toBe("backend-engineer");
    expect(claim.agent.prompt.length).toBeGreaterThan(200);
    expect(claim.branch).toBe("dm/1-things");
    expect(claim.cloneUrlPath).toBe(`/git/${t.org.slug}/${project.slug}.git`);
    expect(cloneUrl).toMatch(new RegExp(`^https?://[^/]+/git/${t.org.slug}/${project.slug}\\.git$`));
    // Claimed: offered to this key to continue, no longer to another worker.
    const mine = await ok<{ task: { key: string; claimed: boolean } }>(client, "get_next_ready_task", {
      externalOnly: true,
    });
    expect(mine.task).toMatchObject({ key: "build-things", claimed: true });
    const otherWorker = await connect(
      (await mintApiKey(t.admin, t.org.slug, ["runs.read", "runs.start"], { name: "vscode" })).secret,
    );
    expect(
      (await ok<{ task: unknown }>(otherWorker, "get_next_ready_task", { externalOnly: true })).task,
    ).toBeNull();
    expect(errorText(await call(otherWorker, "claim_task", { run: run.id, task: "build-things" }))).toMatch(
      /already claimed/,
    );

    // The IDE agent pushes its work to the run branch (git over HTTPS is h-git's; here, to the origin).
    const sha = await commitToOrigin(origin, {
      branch: "dm/1-things",
      from: "main",
      changes: [{ path: "src/things.ts", content: "export const things = [];\n" }],
      message: "Add GET /things",
    });
    const done = await ok<{ submission: number; task: { externalCommit: string; externalSummary: string } }>(
      client,
      "complete_task",
      { run: run.id, task: "build-things", summary: "Added GET /things.", commit: sha.slice(0, 12) },
    );
    expect(done).toMatchObject({
      submission: 1,
      task: { externalCommit: sha, externalSummary: "Added GET /things." },
    });
    // The run function is woken to gate the hand-in.
    expect(sent.events.at(-1)).toMatchObject({
      name: "runs/run.nudged",
      data: { runId: run.id, reason: "external_completed", submission: 1 },
    });
    // Handed in: the gate checks it, nobody is offered it.
    expect(
      (await ok<{ task: unknown }>(client, "get_next_ready_task", { externalOnly: true })).task,
    ).toBeNull();

    const status = await ok<{ run: { status: string }; tasks: Record<string, unknown> }>(
      client,
      "get_run_status",
      {
        run: run.id,
      },
    );
    expect(status.run.status).toBe("running");
    expect(status.tasks).toMatchObject({ total: 3, done: 1, claimedByWorker: 1, waitingForWorker: 0 });
    const { task } = await ok<{ task: Record<string, unknown> }>(client, "get_task", {
      run: run.id,
      task: "build-things",
    });
    expect(task).toMatchObject({
      claimed: true,
      handedIn: true,
      externalCommit: sha,
      dependencies: [{ key: "spec", status: "done" }],
    });

    const actions = await db
      .select({ action: auditLogs.action, metadata: auditLogs.metadata })
      .from(auditLogs)
      .where(eq(auditLogs.orgId, t.org.id));
    for (const action of ["plan.edit", "task.claim", "task.complete"]) {
      expect(actions.find((a) => a.action === action)?.metadata, action).toMatchObject({
        via: "api_key",
        apiKeyId: key.id,
      });
    }
  });

  it("publishes only the permission strings it checks", () => {
    for (const tool of MCP_TOOLS) expect(PERMISSIONS).toContain(tool.permission);
  });
});

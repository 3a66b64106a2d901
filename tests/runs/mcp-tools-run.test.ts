import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvals } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { createDemoModel } from "@/lib/ai/demo-model";
import { createMcpServer } from "@/lib/mcp-client/create-mcp-server";
import { MCP_LIMITS } from "@/lib/mcp-client/limits";
import { refreshMcpTools } from "@/lib/mcp-client/refresh-mcp-tools";
import { setToolGrants } from "@/lib/mcp-client/set-tool-grants";
import { resolveOrgContext } from "@/lib/orgs/context";
import { parseAssignment } from "@/lib/runs/context";
import type { ModelResolver } from "@/lib/runs/execute/types";
import { createTestApp, resetEngineTables } from "@/tests/engine/support/harness";
import { setTestEnv } from "@/tests/support/env";
import { startMcpServer, type TestMcpServer } from "@/tests/support/mcp-server";
import {
  type CallOptions,
  createRun,
  driveToEnd,
  eventsOf,
  type Scope,
  type V4,
} from "./support/run-support";

/**
 * External MCP tools during a demo-model run: the tool an admin granted is offered to that agent
 * only, the demo model calls it, the call and its result are in the run's feed; a dead or slow
 * server fails the call (an error result the model reads), never the run.
 */

const TOKEN = "mcp-run-token";
/** Which MCP tools each call was offered, by the agent of the call's assignment. */
const offered: { agent: string; tools: string[] }[] = [];

function userText(o: CallOptions): string {
  return o.prompt
    .filter((m) => m.role === "user")
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : m.content.map((p) => (p.type === "text" ? p.text : "")).join(""),
    )
    .join("\n");
}

/** The demo model, recording the MCP tools offered to each call. */
function recordingDemo(): ModelResolver {
  const inner = createDemoModel({ chunkDelayMs: 0 });
  const record = (o: CallOptions) => {
    offered.push({
      agent: parseAssignment(userText(o))?.agent ?? "",
      tools: (o.tools ?? []).map((t) => t.name).filter((n) => n.startsWith("mcp__")),
    });
  };
  const model: V4 = {
    specificationVersion: "v4",
    provider: inner.provider,
    modelId: inner.modelId,
    supportedUrls: {},
    doStream: (o) => {
      record(o);
      return inner.doStream(o);
    },
    doGenerate: (o) => {
      record(o);
      return inner.doGenerate(o);
    },
  };
  return async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true });
}

const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: recordingDemo(),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  approvalPolls: 30,
});
let live: TestMcpServer;

beforeAll(async () => {
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
  await resetEngineTables();
  await app.start([agentRun]);
  live = await startMcpServer({ bearer: TOKEN, slowMs: 20_000 });
});
afterAll(async () => {
  await app.stop();
  await live.stop();
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
});

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

async function adminContext(team: Awaited<ReturnType<typeof createRun>>["team"]) {
  return resolveOrgContext(team.admin, team.org.slug, "integrations.manage", {
    ip: "127.0.0.1",
    userAgent: "vitest",
  });
}

async function register(
  ctx: Awaited<ReturnType<typeof adminContext>>,
  name: string,
  url: string,
  grants: Record<string, string[]>,
) {
  const server = await createMcpServer(ctx, {
    name,
    url,
    headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }],
  });
  const refreshed = await refreshMcpTools(ctx, { id: server.id });
  expect(refreshed.lastError).toBeNull();
  for (const [agentSlug, toolNames] of Object.entries(grants)) {
    await setToolGrants(ctx, { serverId: server.id, agentSlug, toolNames });
  }
  return server;
}

const toolEvents = async (runId: string, prefix: string) =>
  (await eventsOf(runId)).filter(
    (e) =>
      (e.type === "agent.tool-call" || e.type === "agent.tool-result") &&
      String(e.data.toolName).startsWith(prefix),
  );

describe("MCP tools in a run", () => {
  it("offers a granted tool to its agent only; the call and its result are in the feed", async () => {
    offered.length = 0;
    const { team, scope } = await createRun();
    const ctx = await adminContext(team);
    await register(ctx, "Tickets", live.url, { "requirements-elicitor": ["lookup_ticket"] });

    await app.client.send(runRequested.create(scope));
    const run = await driveToEnd(scope, approve);
    expect(run.status).toBe("completed");

    const name = "mcp__Tickets__lookup_ticket";
    const mine = offered.filter((o) => o.agent === "requirements-elicitor");
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((o) => o.tools.includes(name))).toBe(true);
    // Not granted: no other agent (architect, advisor, auditor, reviewer, orchestrator) is offered it.
    const others = offered.filter((o) => o.agent && o.agent !== "requirements-elicitor");
    expect(others.length).toBeGreaterThan(3);
    expect(others.every((o) => o.tools.length === 0)).toBe(true);

    const events = await toolEvents(scope.runId, "mcp__");
    const call = events.find((e) => e.type === "agent.tool-call");
    const result = events.find((e) => e.type === "agent.tool-result");
    expect(call?.data).toMatchObject({
      toolName: name,
      agentSlug: "requirements-elicitor",
      input: { ticketId: "Capture the architecture drivers" },
    });
    expect(result?.data).toMatchObject({
      toolName: name,
      toolCallId: call?.data.toolCallId,
      output: "Ticket Capture the architecture drivers: open, priority high, owner Dana.",
    });
    expect(
      live.calls.filter((c) => c.args.ticketId === "Capture the architecture drivers").length,
    ).toBeGreaterThan(0);
    // Granted to one agent of one task: called once in this run (a retried step would call again).
    expect(events.filter((e) => e.type === "agent.tool-call")).toHaveLength(1);
  });

  it("fails the call of a dead or slow server with an error result, and the run still completes", async () => {
    offered.length = 0;
    const { team, scope } = await createRun();
    const ctx = await adminContext(team);
    const dying = await startMcpServer({ bearer: TOKEN });
    await register(ctx, "Dying", dying.url, { "requirements-elicitor": ["lookup_ticket"] });
    await register(ctx, "Slow", live.url, { "technology-advisor": ["slow_report"] });
    await dying.stop();
    const limit = MCP_LIMITS.callTimeoutMs;
    MCP_LIMITS.callTimeoutMs = 1_500;
    try {
      await app.client.send(runRequested.create(scope));
      const run = await driveToEnd(scope, approve);
      expect(run.status).toBe("completed");
    } finally {
      MCP_LIMITS.callTimeoutMs = limit;
    }

    const results = (await toolEvents(scope.runId, "mcp__")).filter((e) => e.type === "agent.tool-result");
    const dead = results.find((e) => e.data.toolName === "mcp__Dying__lookup_ticket");
    const slow = results.find((e) => e.data.toolName === "mcp__Slow__slow_report");
    expect(dead?.data.output).toEqual({
      error: "The tool failed: The address could not be reached or is not allowed.",
    });
    expect(slow?.data.output).toEqual({ error: "The tool failed: The server did not answer within 2 s." });
    expect(live.calls.some((c) => c.name === "slow_report")).toBe(true);
  });
});

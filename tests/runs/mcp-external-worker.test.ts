import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as route from "@/app/api/mcp/route";
import { getDb } from "@/db";
import { approvals, runs } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { gitBare } from "@/lib/repos/git";
import { originPath } from "@/lib/repos/paths";
import { PLAN_REVIEW_REASON } from "@/lib/runs/execute/plan-review";
import { createTestApp, eventually, resetEngineTables } from "@/tests/engine/support/harness";
import { mintApiKey } from "@/tests/support/api-keys";
import { serveRouteHandlers } from "@/tests/support/route-http-server";
import { createRun, demo, driveToEnd, runRow, type Scope, tasksOf } from "./support/run-support";

/**
 * An IDE agent works a run's task through the MCP server, on the real run function with the demo
 * model: it adds an external worker's task to a plan under review over MCP, approves the plan,
 * finds the task once the run hands it out, claims it (taking on the agent's role), pushes a
 * commit to the run branch and completes it; the gate accepts it and the run completes.
 */

// The verbs' own events are dropped, as if lost: the run sees each change through its poll.
vi.mock("@/inngest/client", async (importOriginal) => {
  const mod = await importOriginal<typeof import("@/inngest/client")>();
  (mod.inngest as unknown as { send: () => Promise<unknown> }).send = async () => ({ ids: [] });
  return mod;
});

const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: demo(),
  slotPollInterval: "1s",
  approvalPollInterval: "1s",
  approvalPolls: 120,
  modelCallTimeoutMs: 8_000,
});
let http: Awaited<ReturnType<typeof serveRouteHandlers>>;

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
  http = await serveRouteHandlers({ "/api/mcp": { POST: route.POST, GET: route.GET, DELETE: route.DELETE } });
});
afterAll(async () => {
  await http.close();
  await app.stop();
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

async function tool<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
  expect(result.isError, `${name}: ${text}`).toBeFalsy();
  return result.structuredContent as T;
}

/** The IDE agent's commit on the run branch's tip, written with git plumbing into the origin. */
async function pushCommit(origin: string, branch: string, file: string, content: string) {
  const head = (await gitBare(origin, ["rev-parse", `refs/heads/${branch}`])).stdout.trim();
  const blob = (await gitBare(origin, ["hash-object", "-w", "--stdin"], { input: content })).stdout.trim();
  const listing = (await gitBare(origin, ["ls-tree", head])).stdout;
  const tree = (
    await gitBare(origin, ["mktree"], { input: `${listing}100644 blob ${blob}\t${file}\n` })
  ).stdout.trim();
  const env = {
    GIT_AUTHOR_NAME: "IDE agent",
    GIT_AUTHOR_EMAIL: "ide@example.com",
    GIT_COMMITTER_NAME: "IDE agent",
    GIT_COMMITTER_EMAIL: "ide@example.com",
  };
  const commit = (
    await gitBare(origin, ["commit-tree", tree, "-p", head, "-F", "-"], { input: `Add ${file}\n`, env })
  ).stdout.trim();
  await gitBare(origin, ["update-ref", `refs/heads/${branch}`, commit, head]);
  return commit;
}

const DOC = ["Overview", "Getting started", "Concepts", "How-to guides", "Reference", "Troubleshooting"]
  .map((s) => `## ${s}\n\nThe release notes explain ${s.toLowerCase()} for the portal's users.`)
  .join("\n\n");

describe("an IDE agent over MCP", () => {
  it("adds, claims and completes an external worker's task of a real run, which then completes", async () => {
    const { team, scope, run } = await createRun();
    const db = await getDb();
    await db.update(runs).set({ reviewPlan: true, branch: null }).where(eq(runs.id, run.id));
    await app.client.send(runRequested.create(scope));
    await eventually(async () => {
      const row = await runRow(run.id);
      return row.status === "waiting_approval" && row.statusReason === PLAN_REVIEW_REASON ? row : undefined;
    }, 60_000);

    const key = await mintApiKey(team.admin, team.org.slug, ["projects.read", "runs.read", "runs.start"], {
      name: "cursor",
    });
    const client = new Client({ name: "cursor", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${http.url}/api/mcp`), {
        requestInit: { headers: key.headers },
      }),
    );
    try {
      const listed = await tool<{ tasks: { key: string; phaseKey: string; status: string }[] }>(
        client,
        "list_tasks",
        { run: run.id },
      );
      const first = listed.tasks[0];
      if (!first) throw new Error("the run has no plan");
      await tool(client, "create_task", {
        run: run.id,
        key: "release-notes",
        title: "Write the release notes",
        description: "Write the release notes of the portal for its users.",
        agentSlug: "documentation-writer",
        phaseKey: first.phaseKey,
        dependsOn: [first.key],
        acceptanceCriteria: ["Covers every section of the documentation"],
        worker: "external",
      });
      await tool(client, "approve_run_plan", { run: run.id });

      // Once its dependency is done the run hands the task out and waits on it.
      const next = await eventually(async () => {
        for (const a of await db
          .select()
          .from(approvals)
          .where(and(eq(approvals.runId, run.id), eq(approvals.status, "pending"))))
          await approve(scope, a.id);
        const found = await tool<{ task: { key: string; status: string } | null }>(
          client,
          "get_next_ready_task",
          {
            run: run.id,
            externalOnly: true,
          },
        );
        return found.task?.status === "waiting_worker" ? found.task : undefined;
      }, 120_000);
      expect(next.key).toBe("release-notes");

      const { claim } = await tool<{ claim: { agent: { slug: string; prompt: string }; branch: string } }>(
        client,
        "claim_task",
        { run: run.id, task: "release-notes" },
      );
      expect(claim.agent.slug).toBe("documentation-writer");
      const prompt = await tool<{ prompt: string }>(client, "get_agent_prompt", {
        agent: "documentation-writer",
      });
      expect(claim.agent.prompt).toBe(prompt.prompt);

      const commit = await pushCommit(
        originPath(team.org.id, run.projectId),
        claim.branch,
        "RELEASE-NOTES.md",
        `${DOC}\n`,
      );
      await tool(client, "add_insight", {
        run: run.id,
        task: "release-notes",
        text: "Release notes live at the root.",
      });
      await tool(client, "complete_task", { run: run.id, task: "release-notes", summary: DOC, commit });

      const finished = await driveToEnd(scope, approve, 150_000);
      expect(finished.status).toBe("completed");
      const status = await tool<{ run: { status: string }; tasks: { total: number; done: number } }>(
        client,
        "get_run_status",
        { run: run.id },
      );
      expect(status.run.status).toBe("completed");
      expect(status.tasks.done).toBe(status.tasks.total);
      const notes = (await tasksOf(run.id)).find((t) => t.key === "release-notes");
      expect(notes).toMatchObject({ status: "done", externalCommit: commit, claimedByApiKeyId: key.id });
    } finally {
      await client.close();
    }
  }, 300_000);
});

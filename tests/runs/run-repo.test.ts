import { rm } from "node:fs/promises";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { approvals, artifacts, runs } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { gitBare } from "@/lib/repos/git";
import { originPath, worktreesDir } from "@/lib/repos/paths";
import type { ModelResolver, RunDeps } from "@/lib/runs/execute/types";
import { createTestApp, resetEngineTables } from "@/tests/engine/support/harness";
import { actAs } from "@/tests/support/session";
import * as forkRoute from "../../app/api/orgs/[org]/projects/[project]/runs/[run]/fork/route";
import { jsonRequest, routeArgs } from "../support/org-helpers";
import { planOf, readContent, repoModel, type TaskScript, writes } from "./support/repo-model";
import { createRun, driveToEnd, eventsOf, runRow, type Scope, tasksOf } from "./support/run-support";

// The built-in agents get the repository tools here; granting them is the agents catalog's part.
vi.mock("@/lib/agents/org-agents", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/agents/org-agents")>();
  return {
    ...actual,
    loadAgentCatalog: async (...args: Parameters<typeof actual.loadAgentCatalog>) => {
      const catalog = await actual.loadAgentCatalog(...args);
      for (const [slug, agent] of catalog) {
        const tools = [...agent.definition.tools, "read_file", "write_file"] as typeof agent.definition.tools;
        catalog.set(slug, { ...agent, definition: { ...agent.definition, tools } });
      }
      return catalog;
    },
  };
});

/**
 * Runs on git branches: each accepted task is one commit on the run's branch, made through the
 * agents' repository tools in per-task working copies, exactly once under re-executed steps and
 * with the working copies lost between steps.
 */

let resolver: ModelResolver;
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
  // Runs the app starts (a fork) are delivered to this test's engine.
  vi.spyOn(inngest, "send").mockImplementation(((e: Parameters<typeof app.client.send>[0]) =>
    app.client.send(e)) as typeof inngest.send);
});
afterAll(() => app.stop());

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

async function runToEnd(plan: ReturnType<typeof planOf>, script: TaskScript) {
  resolver = repoModel(plan, script);
  const created = await createRun({ template: "feature-build" });
  await app.client.send(runRequested.create(created.scope));
  const run = await driveToEnd(created.scope, approve);
  const origin = originPath(created.team.org.id, run.projectId);
  return { ...created, run, origin };
}

type Commit = { sha: string; subject: string; author: string; committer: string; trailers: string };

async function branchCommits(origin: string, base: string, branch: string): Promise<Commit[]> {
  const { stdout } = await gitBare(origin, [
    "log",
    "--reverse",
    "--format=%H%x1f%s%x1f%an <%ae>%x1f%cn <%ce>%x1f%(trailers:only,unfold)%x1e",
    `${base}..refs/heads/${branch}`,
  ]);
  return stdout
    .split("\x1e")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((line) => {
      const [sha = "", subject = "", author = "", committer = "", trailers = ""] = line.split("\x1f");
      return { sha, subject, author, committer, trailers: trailers.trim() };
    });
}

const show = async (origin: string, rev: string, file: string) =>
  (await gitBare(origin, ["show", `${rev}:${file}`])).stdout;

describe("runs on git branches", () => {
  it("ends with one commit per accepted task on the run branch, authored by the agent", async () => {
    const plan = planOf([{ key: "alpha" }, { key: "beta" }, { key: "gamma", dependsOn: ["alpha", "beta"] }]);
    const script: TaskScript = (c) => {
      if (c.taskKey === "gamma") {
        // Reads what its dependency committed, then builds on it.
        if (!c.results.length) return [{ toolName: "read_file", input: { path: "src/alpha.ts" } }];
        if (c.results.length === 1) {
          const read = c.results[0]?.output as { content?: string };
          return [
            { toolName: "write_file", input: { path: "src/gamma.ts", content: `// saw: ${read.content}` } },
          ];
        }
        return null;
      }
      return writes({
        alpha: { "src/alpha.ts": "export const alpha = 1;\n" },
        beta: { "src/beta.ts": "export const beta = 2;\n" },
      })(c);
    };
    const { run, origin, scope } = await runToEnd(plan, script);
    expect(run.status).toBe("completed");
    expect(run.branch).toMatch(/^dm\/1-design-the-architecture/);
    const tasks = await tasksOf(scope.runId);
    const commits = await branchCommits(origin, String(run.baseCommit), String(run.branch));
    expect(commits).toHaveLength(3);
    expect(commits.at(-1)?.subject).toBe("gamma: Work on gamma");
    expect(commits.map((c) => c.subject).sort()).toEqual([
      "alpha: Work on alpha",
      "beta: Work on beta",
      "gamma: Work on gamma",
    ]);
    for (const commit of commits) {
      const task = tasks.find((t) => commit.subject.startsWith(`${t.key}:`));
      expect(task?.commitSha).toBe(commit.sha);
      expect(commit.author).toBe("Coder (DafnckMachine) <coder@agents.dafnckmachine.local>");
      expect(commit.committer).toBe("DafnckMachine <dafnckmachine@localhost>");
      expect(commit.trailers).toBe(`Run: ${scope.runId}\nTask: ${task?.id}\nAgent: coder`);
    }
    const head = String(run.headCommit);
    expect(head).toBe(commits.at(-1)?.sha);
    expect((await gitBare(origin, ["rev-parse", `refs/heads/${run.branch}`])).stdout.trim()).toBe(head);
    expect(await show(origin, head, "src/alpha.ts")).toBe("export const alpha = 1;\n");
    expect(await show(origin, head, "src/beta.ts")).toBe("export const beta = 2;\n");
    expect(await show(origin, head, "src/gamma.ts")).toBe("// saw: export const alpha = 1;\n");
    // The reply each agent saved is a document in the repository too.
    expect(await show(origin, head, "docs/code/work-on-alpha.md")).toBe("Changed the files for alpha.");
    // The default branch is untouched.
    expect((await gitBare(origin, ["rev-list", "--count", "main"])).stdout.trim()).toBe("1");
    const events = await eventsOf(scope.runId);
    const committed = events.filter((e) => e.type === "task.committed");
    expect(committed).toHaveLength(3);
    expect(committed.map((e) => e.data.sha).sort()).toEqual(commits.map((c) => c.sha).sort());
    const changed = events.filter((e) => e.type === "file.changed").map((e) => e.data.path);
    expect(changed).toEqual(expect.arrayContaining(["src/alpha.ts", "src/beta.ts", "src/gamma.ts"]));
    expect(events.filter((e) => e.type === "file.changed" && e.data.path === "src/alpha.ts")).toHaveLength(1);
  }, 120_000);

  it("sends a task whose edit conflicts back to its agent with the markers, and merges the resolution", async () => {
    const plan = planOf([{ key: "left" }, { key: "right" }]);
    const seen: string[] = [];
    const script: TaskScript = (c) => {
      if (c.attempt === 1) {
        if (c.results.length) return null;
        return [{ toolName: "write_file", input: { path: "README.md", content: `# ${c.taskKey} wins\n` } }];
      }
      if (!c.results.length) return [{ toolName: "read_file", input: { path: "README.md" } }];
      if (c.results.length === 1) {
        seen.push(readContent(c.results, 0));
        seen.push(c.feedback.join(" "));
        return [{ toolName: "write_file", input: { path: "README.md", content: "# left and right\n" } }];
      }
      return null;
    };
    const { run, origin, scope } = await runToEnd(plan, script);
    expect(run.status).toBe("completed");
    const events = await eventsOf(scope.runId);
    const conflicts = events.filter((e) => e.type === "task.conflict");
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.data.files).toEqual(["README.md"]);
    // The rework attempt opened the file with both sides and the markers, and knew why.
    expect(seen[0]).toMatch(
      /<<<<<<< [\s\S]*# (left|right) wins[\s\S]*=======[\s\S]*# (left|right) wins[\s\S]*>>>>>>> /,
    );
    expect(seen[1]).toContain("README.md");
    const commits = await branchCommits(origin, String(run.baseCommit), String(run.branch));
    expect(commits).toHaveLength(2);
    expect(await show(origin, String(run.headCommit), "README.md")).toBe("# left and right\n");
    const tasks = await tasksOf(scope.runId);
    const reworked = tasks.find((t) => t.id === conflicts[0]?.data.taskId);
    expect(reworked?.attempts).toBe(2);
    expect(tasks.every((t) => t.status === "done" && t.commitSha)).toBe(true);
  }, 120_000);

  it("merges gated results once approved, and reopens an approved result that conflicts", async () => {
    const plan = planOf([
      { key: "north", needsApproval: true },
      { key: "south", needsApproval: true },
    ]);
    const script: TaskScript = (c) => {
      if (c.attempt === 1) {
        if (c.results.length) return null;
        return [{ toolName: "write_file", input: { path: "README.md", content: `# ${c.taskKey}\n` } }];
      }
      if (!c.results.length) return [{ toolName: "read_file", input: { path: "README.md" } }];
      if (c.results.length === 1 && readContent(c.results, 0).includes("<<<<<<<")) {
        return [{ toolName: "write_file", input: { path: "README.md", content: "# north and south\n" } }];
      }
      return null;
    };
    const { run, origin, scope } = await runToEnd(plan, script);
    expect(run.status).toBe("completed");
    const events = await eventsOf(scope.runId);
    expect(events.filter((e) => e.type === "task.conflict")).toHaveLength(1);
    const reopened = events.find((e) => e.type === "task.status" && e.data.status === "todo");
    expect(String(reopened?.data.reason)).toContain("README.md");
    const commits = await branchCommits(origin, String(run.baseCommit), String(run.branch));
    expect(commits).toHaveLength(2);
    expect(await show(origin, String(run.headCommit), "README.md")).toBe("# north and south\n");
    const db = await getDb();
    // Each task's result was approved (the reopened one twice: before and after its rework).
    expect(await db.select().from(approvals).where(eq(approvals.runId, scope.runId))).toHaveLength(3);
  }, 120_000);

  it("commits each task once when every step body runs twice", async () => {
    runStep = async (_id, body) => {
      await body();
      return body();
    };
    try {
      const plan = planOf([{ key: "one" }, { key: "two" }, { key: "three", dependsOn: ["one"] }]);
      const { run, origin, scope } = await runToEnd(
        plan,
        writes({
          one: { "one.txt": "1\n" },
          two: { "two.txt": "2\n" },
          three: { "three.txt": "3\n" },
        }),
      );
      expect(run.status).toBe("completed");
      const commits = await branchCommits(origin, String(run.baseCommit), String(run.branch));
      expect(commits).toHaveLength(3);
      expect(new Set(commits.map((c) => c.trailers)).size).toBe(3);
      const head = (await gitBare(origin, ["rev-parse", `refs/heads/${run.branch}`])).stdout.trim();
      expect(head).toBe(run.headCommit);
      expect((await eventsOf(scope.runId)).filter((e) => e.type === "task.committed")).toHaveLength(3);
      expect((await eventsOf(scope.runId)).filter((e) => e.type === "file.changed")).toHaveLength(3);
    } finally {
      runStep = (_id, body) => body();
    }
  }, 150_000);

  it("recreates lost working copies from the snapshots and keeps the agent's edits", async () => {
    // Every working copy is deleted before each model call after the first.
    runStep = async (id, body) => {
      if (/-call-[1-9]$/.test(id)) await rm(worktreesDir(), { recursive: true, force: true });
      return body();
    };
    try {
      const plan = planOf([{ key: "solo" }]);
      const script: TaskScript = (c) => {
        if (c.results.length === 0)
          return [{ toolName: "write_file", input: { path: "a.txt", content: "A\n" } }];
        if (c.results.length === 1) return [{ toolName: "read_file", input: { path: "a.txt" } }];
        if (c.results.length === 2) {
          return [
            {
              toolName: "write_file",
              input: { path: "b.txt", content: `after ${readContent(c.results, 1)}` },
            },
          ];
        }
        return null;
      };
      const { run, origin } = await runToEnd(plan, script);
      expect(run.status).toBe("completed");
      const head = String(run.headCommit);
      expect(await show(origin, head, "a.txt")).toBe("A\n");
      expect(await show(origin, head, "b.txt")).toBe("after A\n");
    } finally {
      runStep = (_id, body) => body();
    }
  }, 120_000);
});

describe("forking a run", () => {
  it("starts a new run at an accepted task's commit, keeps the results before it and re-does the rest", async () => {
    const plan = planOf([{ key: "p1" }, { key: "p2", dependsOn: ["p1"] }, { key: "p3", dependsOn: ["p2"] }]);
    const first = await runToEnd(
      plan,
      writes({ p1: { "p1.txt": "one\n" }, p2: { "p2.txt": "two\n" }, p3: { "p3.txt": "three\n" } }),
    );
    expect(first.run.status).toBe("completed");
    const source = await tasksOf(first.scope.runId);
    const at = source.find((t) => t.key === "p2");
    const project = (await (
      await getDb()
    ).query.projects.findFirst({
      where: (p, { eq: is }) => is(p.id, first.run.projectId),
    })) as { slug: string };
    const { team } = first;
    const params = { org: team.org.slug, project: project.slug, run: first.scope.runId };
    const path = `/api/orgs/${team.org.slug}/projects/${project.slug}/runs/${first.scope.runId}/fork`;
    const post = (body: unknown, p = params) => forkRoute.POST(jsonRequest(path, "POST", body), routeArgs(p));

    actAs(team.viewer);
    expect((await post({ taskId: at?.id })).status).toBe(403);
    actAs(team.outsider);
    expect((await post({ taskId: at?.id }, { ...params, org: team.otherOrg.slug })).status).toBe(404);
    actAs(team.member);
    expect((await post({ taskId: crypto.randomUUID() })).status).toBe(404);
    expect((await post({ taskId: "nope" })).status).toBe(422);
    expect((await post({ taskId: at?.id, agentSlug: "no-such-agent" })).status).toBe(422);

    resolver = repoModel(plan, writes({ p3: { "p3.txt": "three, forked\n" } }));
    const res = await post({ taskId: at?.id, agentSlug: "backend-engineer" });
    expect(res.status).toBe(200);
    const { run: forked } = (await res.json()) as { run: { id: string; number: number; branch: string } };
    expect(forked.number).toBe(2);
    const scope = { orgId: team.org.id, runId: forked.id };
    const done = await driveToEnd(scope, approve);
    expect(done.status).toBe("completed");
    const row = await runRow(forked.id);
    expect(row).toMatchObject({
      forkedFromRunId: first.scope.runId,
      forkedFromTaskId: at?.id,
      baseCommit: at?.commitSha,
    });
    expect(row.branch).toMatch(/^dm\/2-/);
    const tasks = await tasksOf(forked.id);
    const byKey = (key: string) => tasks.find((t) => t.key === key);
    expect(byKey("p1")?.commitSha).toBe(source.find((t) => t.key === "p1")?.commitSha);
    expect(byKey("p2")?.commitSha).toBe(at?.commitSha);
    expect(byKey("p3")?.agentSlug).toBe("backend-engineer");
    const commits = await branchCommits(first.origin, String(row.baseCommit), String(row.branch));
    expect(commits).toHaveLength(1);
    expect(commits[0]?.subject).toBe("p3: Work on p3");
    expect(commits[0]?.author).toBe(
      "Backend Engineer (DafnckMachine) <backend-engineer@agents.dafnckmachine.local>",
    );
    const head = String(row.headCommit);
    expect(await show(first.origin, head, "p1.txt")).toBe("one\n");
    expect(await show(first.origin, head, "p2.txt")).toBe("two\n");
    expect(await show(first.origin, head, "p3.txt")).toBe("three, forked\n");
    // The first run's branch is unchanged.
    expect(await show(first.origin, String(first.run.headCommit), "p3.txt")).toBe("three\n");
    // Only the re-done task was worked again; the kept results were copied, not redone.
    const events = await eventsOf(forked.id);
    expect(events.filter((e) => e.type === "task.committed").map((e) => e.data.taskId)).toEqual([
      byKey("p3")?.id,
    ]);
    const db = await getDb();
    const copied = await db.select().from(artifacts).where(eq(artifacts.runId, forked.id));
    expect(copied.filter((a) => a.taskId === byKey("p1")?.id || a.taskId === byKey("p2")?.id)).toHaveLength(
      2,
    );
    const [sourceRun] = await db.select().from(runs).where(eq(runs.id, first.scope.runId));
    expect(sourceRun?.headCommit).toBe(first.run.headCommit);
  }, 150_000);
});

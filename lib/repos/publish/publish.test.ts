import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb, withTenant } from "@/db";
import { artifacts, projectRepositories, runEvents, runs, runTasks } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { makeUpstream } from "@/tests/support/git-remote";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { ensureRepository } from "../ensure-repository";
import { gitBare } from "../git";
import { commitFilesToBare } from "../init-origin";
import { publishRun } from "./publish-run";

const TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
const BRANCH = "dm/3-add-csv-export";

type Seen = { method: string; path: string; headers: IncomingHttpHeaders; body: unknown };

/**
 * A local stand-in for the GitHub REST API: lists open pull requests by head and creates one,
 * answering what `respond` says; every request is recorded.
 */
async function startGithub(
  respond?: (req: Seen, state: { prs: unknown[] }) => { status: number; body: unknown } | null,
) {
  const seen: Seen[] = [];
  const state = { prs: [] as unknown[] };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const entry: Seen = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: raw ? JSON.parse(raw) : null,
      };
      seen.push(entry);
      const custom = respond?.(entry, state);
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (custom) return send(custom.status, custom.body);
      if (entry.method === "GET" && entry.path.startsWith("/repos/acme/widgets/pulls"))
        return send(200, state.prs);
      if (entry.method === "POST" && entry.path === "/repos/acme/widgets/pulls") {
        const pr = { number: 7, html_url: "https://github.com/acme/widgets/pull/7" };
        state.prs.push(pr);
        return send(201, pr);
      }
      send(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  setTestEnv({ GITHUB_API_URL: url });
  return { seen, state, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

let scope: { orgId: string; runId: string };
let origin: string;
let upstream: string;
let orgSlug: string;
let projectSlug: string;
let stopServer: (() => Promise<void>) | null = null;

beforeEach(async () => {
  setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1", APP_URL: "https://dm.example.com" });
  const t = await createTeam();
  const project = await createProjectRow(t.org.id);
  orgSlug = t.org.slug;
  projectSlug = project.slug;
  ({ origin } = await withTenant({ orgId: t.org.id }, (tx) => ensureRepository(tx, t.org.id, project)));
  await commitFilesToBare(origin, BRANCH, [{ path: "csv.ts", content: "export {}\n" }], "T1: CSV export");
  upstream = (await makeUpstream()).dir;
  const db = await getDb();
  await db
    .update(projectRepositories)
    .set({
      remoteUrl: upstream,
      remoteProvider: "github",
      remoteRepo: "acme/widgets",
      remoteTokenEncrypted: encryptSecret(TOKEN),
    })
    .where(eq(projectRepositories.projectId, project.id));
  const run = await createRunRow(t.org.id, project.id, { number: 3, branch: BRANCH, goal: "Add CSV export" });
  scope = { orgId: t.org.id, runId: run.id };
});
afterEach(async () => {
  await stopServer?.();
  stopServer = null;
  setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: undefined, APP_URL: undefined, GITHUB_API_URL: undefined });
});

async function withSummary(content: string) {
  const db = await getDb();
  const [run] = await db.select().from(runs).where(eq(runs.id, scope.runId));
  const [a] = await db
    .insert(artifacts)
    .values({
      orgId: scope.orgId,
      projectId: run?.projectId ?? "",
      runId: scope.runId,
      artifactKey: crypto.randomUUID(),
      version: 1,
      kind: "run_summary",
      title: "Run summary",
      content,
    })
    .returning();
  await db.update(runs).set({ summaryArtifactId: a?.id }).where(eq(runs.id, scope.runId));
}

async function pushedEvents() {
  const db = await getDb();
  return db
    .select()
    .from(runEvents)
    .where(and(eq(runEvents.runId, scope.runId), eq(runEvents.type, "run.pushed")));
}

async function remoteHead(): Promise<string> {
  const { stdout } = await gitBare(upstream, ["rev-parse", `refs/heads/${BRANCH}`]);
  return stdout.trim();
}

describe("publishRun", () => {
  it("pushes the branch and opens a pull request through Octokit with the summary and a link to the run", async () => {
    const gh = await startGithub();
    stopServer = gh.stop;
    await withSummary("## Summary\n\nCSV export added.");
    const result = await publishRun(scope);
    const { stdout: sha } = await gitBare(origin, ["rev-parse", `refs/heads/${BRANCH}`]);
    expect(result).toEqual({
      branch: BRANCH,
      sha: sha.trim(),
      remote: upstream,
      pushed: true,
      pullRequestUrl: "https://github.com/acme/widgets/pull/7",
    });
    expect(await remoteHead()).toBe(sha.trim());

    const [list, create] = gh.seen;
    expect(gh.seen).toHaveLength(2);
    expect(list?.method).toBe("GET");
    const listUrl = new URL(list?.path ?? "", "http://x");
    expect(listUrl.pathname).toBe("/repos/acme/widgets/pulls");
    expect(listUrl.searchParams.get("head")).toBe(`acme:${BRANCH}`);
    expect(listUrl.searchParams.get("state")).toBe("open");
    expect(create?.method).toBe("POST");
    expect(create?.path).toBe("/repos/acme/widgets/pulls");
    expect(create?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(create?.headers["content-type"]).toMatch(/application\/json/);
    expect(create?.headers["user-agent"]).toMatch(/DafnckMachine/);
    const body = create?.body as { title: string; head: string; base: string; body: string };
    expect(body).toMatchObject({ title: "Add CSV export", head: BRANCH, base: "main" });
    expect(body.body).toContain("CSV export added.");
    expect(body.body).toContain(
      `(https://dm.example.com/${orgSlug}/projects/${projectSlug}/runs/${scope.runId})`,
    );
    expect(body.body).toContain("run #3");

    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, scope.runId));
    expect(row?.pullRequestUrl).toBe("https://github.com/acme/widgets/pull/7");
    expect(row?.pushedAt).toBeInstanceOf(Date);
    const events = await pushedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      branch: BRANCH,
      sha: sha.trim(),
      pullRequestUrl: row?.pullRequestUrl,
    });
  });

  it("reuses the open pull request and appends no second event when published again", async () => {
    const gh = await startGithub();
    stopServer = gh.stop;
    await publishRun(scope);
    const again = await publishRun(scope);
    expect(again).toMatchObject({ pushed: false, pullRequestUrl: "https://github.com/acme/widgets/pull/7" });
    expect(gh.seen.filter((s) => s.method === "POST")).toHaveLength(1);
    expect(gh.seen.filter((s) => s.method === "GET")).toHaveLength(2);
    expect(await pushedEvents()).toHaveLength(1);
  });

  it("pushes a branch that moved on (lease on the remote's previous commit) and records the new commit", async () => {
    const gh = await startGithub();
    stopServer = gh.stop;
    const first = await publishRun(scope);
    const { stdout: parent } = await gitBare(origin, ["rev-parse", `refs/heads/${BRANCH}`]);
    const { stdout: tree } = await gitBare(origin, ["rev-parse", `refs/heads/${BRANCH}^{tree}`]);
    const { stdout: next } = await gitBare(origin, [
      "commit-tree",
      tree.trim(),
      "-p",
      parent.trim(),
      "-m",
      "T2",
    ]);
    await gitBare(origin, ["update-ref", `refs/heads/${BRANCH}`, next.trim()]);
    const second = await publishRun(scope);
    expect(second).toMatchObject({ pushed: true, sha: next.trim() });
    expect(first).toMatchObject({ sha: parent.trim() });
    expect(await remoteHead()).toBe(next.trim());
    expect(await pushedEvents()).toHaveLength(2);
  });

  it("finds the pull request a concurrent publisher opened when GitHub answers 422 already exists", async () => {
    let lists = 0;
    const gh = await startGithub((req) => {
      if (req.method === "GET") {
        lists += 1;
        return {
          status: 200,
          body: lists === 1 ? [] : [{ number: 9, html_url: "https://github.com/acme/widgets/pull/9" }],
        };
      }
      return {
        status: 422,
        body: {
          message: "Validation Failed",
          errors: [{ message: `A pull request already exists for acme:${BRANCH}.` }],
        },
      };
    });
    stopServer = gh.stop;
    expect(await publishRun(scope)).toMatchObject({
      pullRequestUrl: "https://github.com/acme/widgets/pull/9",
    });
  });

  it("turns a 401 from GitHub into a readable reason without the token", async () => {
    const gh = await startGithub(() => ({ status: 401, body: { message: "Bad credentials" } }));
    stopServer = gh.stop;
    const error = await publishRun(scope).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe(
      "GitHub refused the token (401): connect the remote again with a valid token.",
    );
    expect(JSON.stringify({ m: (error as Error).message, s: (error as Error).stack })).not.toContain(TOKEN);
    // The push itself went through; nothing is recorded as published until the whole step succeeds.
    expect(await pushedEvents()).toHaveLength(0);
  });

  it("writes the goal and task list when the run has no summary", async () => {
    const gh = await startGithub();
    stopServer = gh.stop;
    const db = await getDb();
    await db.insert(runTasks).values([
      {
        orgId: scope.orgId,
        runId: scope.runId,
        key: "T1",
        phaseKey: "build",
        title: "Write the exporter",
        agentSlug: "coder",
        status: "done",
        position: 0,
      },
      {
        orgId: scope.orgId,
        runId: scope.runId,
        key: "T2",
        phaseKey: "build",
        title: "Test it",
        agentSlug: "tester",
        position: 1,
      },
    ]);
    await publishRun(scope);
    const body = (gh.seen.find((s) => s.method === "POST")?.body as { body: string } | undefined)?.body;
    expect(body).toContain("## Goal\n\nAdd CSV export");
    expect(body).toContain("- [x] T1: Write the exporter\n- [ ] T2: Test it");
  });

  it("returns the stored result for a step key that already committed, without touching the network", async () => {
    const gh = await startGithub();
    stopServer = gh.stop;
    const first = await publishRun(scope, "fn-run-1:publish");
    const requests = gh.seen.length;
    await gitBare(upstream, ["update-ref", "-d", `refs/heads/${BRANCH}`]);
    expect(await publishRun(scope, "fn-run-1:publish")).toEqual(first);
    expect(gh.seen).toHaveLength(requests);
    await expect(remoteHead()).rejects.toThrow();
  });

  it("is a no-op without a remote, and skips a run whose branch has no commit", async () => {
    const db = await getDb();
    await db.update(runs).set({ branch: "dm/4-nothing" }).where(eq(runs.id, scope.runId));
    expect(await publishRun(scope)).toEqual({ skipped: "no branch" });
    await db
      .update(projectRepositories)
      .set({ remoteUrl: null, remoteTokenEncrypted: null })
      .where(eq(projectRepositories.orgId, scope.orgId));
    expect(await publishRun(scope)).toEqual({ skipped: "no remote" });
    expect(await pushedEvents()).toHaveLength(0);
  });

  it("refuses a stored remote the policy no longer allows, with a reason and no push", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: undefined });
    await expect(publishRun(scope)).rejects.toThrow(
      /^The connected remote can no longer be used: Local paths and file:\/\/ URLs are not allowed/,
    );
    expect(await pushedEvents()).toHaveLength(0);
  });

  it("pushes to a plain git remote without any pull request", async () => {
    const db = await getDb();
    await db
      .update(projectRepositories)
      .set({ remoteProvider: "git", remoteRepo: null })
      .where(eq(projectRepositories.orgId, scope.orgId));
    const result = await publishRun(scope);
    expect(result).toMatchObject({ pushed: true, pullRequestUrl: null });
  });
});

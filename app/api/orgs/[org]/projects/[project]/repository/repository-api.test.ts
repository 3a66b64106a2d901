import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb, withTenant } from "@/db";
import { auditLogs, projectRepositories, projects, runEvents, runs } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { ensureRepository } from "@/lib/repos/ensure-repository";
import { gitBare } from "@/lib/repos/git";
import { commitFilesToBare } from "@/lib/repos/init-origin";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { makeUpstream } from "@/tests/support/git-remote";
import { auditCount, errorOf, jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import * as projectsRoute from "../../route";
import * as pushRoute from "../runs/[run]/push/route";
import * as remoteRoute from "./remote/route";
import * as testRoute from "./remote/test/route";
import * as repositoryRoute from "./route";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: ["x"] }) } }));

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Team = Awaited<ReturnType<typeof createTeam>>;

let t: Team;
let project: Awaited<ReturnType<typeof createProjectRow>>;

const base = (org: string, slug: string) => `/api/orgs/${org}/projects/${slug}/repository`;

function call(
  handler: Handler,
  method: string,
  body?: unknown,
  opts: { org?: string; project?: string; run?: string } = {},
) {
  const org = opts.org ?? t.org.slug;
  const slug = opts.project ?? project.slug;
  return handler(
    jsonRequest(base(org, slug), method, body),
    routeArgs({ org, project: slug, ...(opts.run ? { run: opts.run } : {}) }),
  );
}

async function repoRow(projectId = project.id) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(projectRepositories)
    .where(eq(projectRepositories.projectId, projectId));
  return row;
}

/** Everything a refused request must leave unchanged: the repository row and the audit log. */
async function snapshot() {
  const row = await repoRow();
  return {
    row: row ? { ...row, updatedAt: row.updatedAt.toISOString() } : null,
    audit: await auditCount(t.org.id),
  };
}

async function ensureOrigin() {
  return withTenant({ orgId: t.org.id }, (tx) => ensureRepository(tx, t.org.id, project));
}

beforeEach(async () => {
  t = await createTeam();
  project = await createProjectRow(t.org.id);
  actAs(null);
});
afterEach(() => setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: undefined, ALLOW_PRIVATE_NETWORK_URLS: undefined }));

/** A request per route that succeeds for a member (after `prepare`). */
const routes: {
  name: string;
  write: boolean;
  run: () => Promise<Response>;
  prepare?: () => Promise<void>;
}[] = [
  { name: "GET repository", write: false, run: () => call(repositoryRoute.GET, "GET") },
  {
    name: "PATCH repository",
    write: true,
    run: () => call(repositoryRoute.PATCH, "PATCH", { testCommand: "npm test" }),
  },
  {
    name: "POST repository/remote",
    write: true,
    prepare: async () => setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" }),
    run: async () => call(remoteRoute.POST, "POST", { url: (await makeUpstream()).dir, token: "tok_1" }),
  },
  {
    name: "POST repository/remote/test",
    write: true,
    prepare: async () => setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" }),
    run: async () => call(testRoute.POST, "POST", { url: (await makeUpstream()).dir }),
  },
  {
    name: "DELETE repository/remote",
    write: true,
    prepare: async () => {
      await ensureOrigin();
      const db = await getDb();
      await db
        .update(projectRepositories)
        .set({
          remoteUrl: "https://github.com/acme/widgets.git",
          remoteProvider: "github",
          remoteRepo: "acme/widgets",
        })
        .where(eq(projectRepositories.projectId, project.id));
    },
    run: () => call(remoteRoute.DELETE, "DELETE"),
  },
];

describe.each(routes)("$name", ({ write, run, prepare }) => {
  beforeEach(async () => {
    await prepare?.();
  });

  it("answers 401 without a session", async () => {
    expect((await run()).status).toBe(401);
  });

  it("answers 404 to a user of another organization, and changes nothing", async () => {
    actAs(t.outsider);
    const before = await snapshot();
    const res = await run();
    expect(res.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it(write ? "answers 403 to a viewer and changes nothing" : "lets a viewer read", async () => {
    actAs(t.viewer);
    const before = await snapshot();
    const res = await run();
    if (write) {
      expect(res.status).toBe(403);
      expect(await snapshot()).toEqual(before);
    } else {
      expect(res.status).toBe(200);
    }
  });

  it("works for a member", async () => {
    actAs(t.member);
    const res = await run();
    expect(res.status).toBe(200);
    // The token is never sent back, in any answer.
    expect(JSON.stringify(await res.json())).not.toMatch(/tok_1|remoteTokenEncrypted|v1\./);
  });

  it("answers 404 for another organization's project slug", async () => {
    const theirs = await createProjectRow(t.otherOrg.id);
    actAs(t.owner);
    const res = await routeFor(run, theirs.slug);
    expect(res.status).toBe(404);
    expect(await repoRow(theirs.id)).toBeUndefined();
  });
});

/** Runs `run` with the project slug swapped for another one. */
async function routeFor(run: () => Promise<Response>, slug: string): Promise<Response> {
  const saved = project;
  project = { ...project, slug };
  try {
    return await run();
  } finally {
    project = saved;
  }
}

describe("GET /repository", () => {
  it("creates an older project's repository on first read and shows branches, commands and no remote", async () => {
    actAs(t.viewer);
    const res = await call(repositoryRoute.GET, "GET");
    const { repository } = await res.json();
    expect(repository).toMatchObject({
      defaultBranch: "main",
      branches: ["main"],
      remote: null,
      commands: { testCommand: null, buildCommand: null, installCommand: null, lintCommand: null },
      detected: { testCommand: null, buildCommand: null, installCommand: null, lintCommand: null },
      sandboxImage: null,
      defaultSandboxImage: null,
    });
  });
});

describe("PATCH /repository", () => {
  beforeEach(() => actAs(t.member));

  it("sets the commands and the default branch (the origin's HEAD follows), audited once", async () => {
    const { origin } = await ensureOrigin();
    await commitFilesToBare(origin, "dev", [{ path: "a.txt", content: "a" }], "dev");
    const res = await call(repositoryRoute.PATCH, "PATCH", {
      defaultBranch: "dev",
      testCommand: "  npm test -- --run ",
      buildCommand: "npm run build",
      installCommand: "npm ci",
    });
    expect(res.status).toBe(200);
    const { repository } = await res.json();
    expect(repository).toMatchObject({
      defaultBranch: "dev",
      branches: ["dev", "main"],
      commands: { testCommand: "npm test -- --run", buildCommand: "npm run build", installCommand: "npm ci" },
    });
    const { stdout } = await gitBare(origin, ["symbolic-ref", "HEAD"]);
    expect(stdout.trim()).toBe("refs/heads/dev");
    expect(await auditCount(t.org.id, "repository.update")).toBe(1);
    // The same values again change nothing and write no audit entry; "" clears a command.
    await call(repositoryRoute.PATCH, "PATCH", { buildCommand: "npm run build" });
    expect(await auditCount(t.org.id, "repository.update")).toBe(1);
    await call(repositoryRoute.PATCH, "PATCH", { buildCommand: "" });
    expect((await repoRow())?.buildCommand).toBeNull();
  });

  it.each([
    [{ defaultBranch: "nope" }, "defaultBranch", /No branch of that name/],
    [{ defaultBranch: "bad..name" }, "defaultBranch", /not a valid branch name/],
    [{ defaultBranch: "-x" }, "defaultBranch", /hyphen/],
    [{ defaultBranch: "" }, "defaultBranch", /Choose a default branch/],
    [{ testCommand: "x".repeat(2001) }, "testCommand", /at most 2000/],
    [{ lintCommand: "x".repeat(2001) }, "lintCommand", /at most 2000/],
    [{ lintCommand: "npm run lint\r--fix" }, "lintCommand", /one line/],
    [{ lintCommand: ["npm"] }, "lintCommand", /must be text/],
    [{ sandboxImage: "node 20" }, "sandboxImage", /image reference/],
    [{ sandboxImage: "--privileged" }, "sandboxImage", /image reference/],
    [{ sandboxImage: "-v/:/host" }, "sandboxImage", /image reference/],
    [{ sandboxImage: "Node:20" }, "sandboxImage", /image reference/],
    [{ sandboxImage: "node:20;id" }, "sandboxImage", /image reference/],
    [{ sandboxImage: `ghcr.io/${"a".repeat(200)}` }, "sandboxImage", /at most 200/],
    [{ sandboxImage: 7 }, "sandboxImage", /must be text/],
    [{ testCommand: "npm test\nrm -rf /" }, "testCommand", /one line/],
    [{ buildCommand: 42 }, "buildCommand", /must be text/],
    [{}, "_", /Send at least one/],
  ])("refuses %j with a field message and changes nothing", async (body, field, message) => {
    await ensureOrigin();
    const before = await snapshot();
    const res = await call(repositoryRoute.PATCH, "PATCH", body);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).fieldErrors?.[field]?.[0]).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["testCommand", "npm\u0000test"],
    ["lintCommand", "npm run lint\u0000"],
    ["sandboxImage", "node:20\u0000"],
  ])("refuses NUL bytes in %s with 400 and the field", async (field, value) => {
    await ensureOrigin();
    const before = await snapshot();
    const res = await call(repositoryRoute.PATCH, "PATCH", { [field]: value });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).fieldErrors?.[field]).toBeDefined();
    expect(await snapshot()).toEqual(before);
  });

  it("sets the lint command and the sandbox image, audited with the previous values, and clears them", async () => {
    await ensureOrigin();
    const image = `ghcr.io/acme/node-py:20@sha256:${"0123456789abcdef".repeat(4)}`;
    const long = `npm run lint -- ${"x".repeat(1984)}`;
    expect(long).toHaveLength(2000);
    const res = await call(repositoryRoute.PATCH, "PATCH", { lintCommand: long, sandboxImage: ` ${image} ` });
    expect(res.status).toBe(200);
    const { repository } = await res.json();
    expect(repository).toMatchObject({ commands: { lintCommand: long }, sandboxImage: image });
    expect(await repoRow()).toMatchObject({ lintCommand: long, sandboxImage: image });
    expect(await auditCount(t.org.id, "repository.update")).toBe(1);

    const db = await getDb();
    const [entry] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "repository.update")));
    expect(entry?.metadata).toMatchObject({
      changed: ["lintCommand", "sandboxImage"],
      sandboxImage: image,
      previous: { lintCommand: null, sandboxImage: null },
    });

    // A viewer reads them back; "" resets the image to the default and clears the lint command.
    actAs(t.viewer);
    expect((await (await call(repositoryRoute.GET, "GET")).json()).repository.sandboxImage).toBe(image);
    actAs(t.member);
    expect((await call(repositoryRoute.PATCH, "PATCH", { sandboxImage: "", lintCommand: null })).status).toBe(
      200,
    );
    expect(await repoRow()).toMatchObject({ lintCommand: null, sandboxImage: null });
    expect(await auditCount(t.org.id, "repository.update")).toBe(2);
  });

  it("refuses viewers (403) and other organizations (404) the lint command and image", async () => {
    await ensureOrigin();
    const before = await snapshot();
    actAs(t.viewer);
    expect((await call(repositoryRoute.PATCH, "PATCH", { sandboxImage: "node:20" })).status).toBe(403);
    actAs(t.outsider);
    expect((await call(repositoryRoute.PATCH, "PATCH", { lintCommand: "npm run lint" })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("shows the instance's default image from SANDBOX_DOCKER_IMAGE", async () => {
    setTestEnv({ SANDBOX_DOCKER_IMAGE: "python:3.12-bookworm" });
    try {
      const res = await call(repositoryRoute.GET, "GET");
      expect((await res.json()).repository).toMatchObject({
        sandboxImage: null,
        defaultSandboxImage: "python:3.12-bookworm",
      });
    } finally {
      setTestEnv({ SANDBOX_DOCKER_IMAGE: undefined });
    }
  });

  it("refuses changes to an archived project with 409", async () => {
    const db = await getDb();
    await db.update(projects).set({ status: "archived" }).where(eq(projects.id, project.id));
    const res = await call(repositoryRoute.PATCH, "PATCH", { testCommand: "npm test" });
    expect(res.status).toBe(409);
  });
});

describe("remote: connect, test, disconnect", () => {
  beforeEach(() => actAs(t.member));

  it("connects after trying the remote, stores the token encrypted, tests it, and disconnects wiping it", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
    const upstream = await makeUpstream({ defaultBranch: "trunk", branches: ["x"] });
    const res = await call(remoteRoute.POST, "POST", { url: `file://${upstream.dir}`, token: "tok_secret" });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("tok_secret");
    expect(JSON.parse(text).repository.remote).toEqual({
      url: upstream.dir,
      provider: "git",
      repo: null,
      hasToken: true,
    });
    const row = await repoRow();
    expect(row?.remoteTokenEncrypted).not.toContain("tok_secret");
    expect(decryptSecret(row?.remoteTokenEncrypted ?? "")).toBe("tok_secret");
    expect(await auditCount(t.org.id, "repository.remote_connect")).toBe(1);

    const tested = await call(testRoute.POST, "POST", {});
    expect(await tested.json()).toEqual({ ok: true, defaultBranch: "trunk", branches: 2 });

    const gone = await call(remoteRoute.DELETE, "DELETE");
    expect((await gone.json()).repository.remote).toBeNull();
    expect(await repoRow()).toMatchObject({
      remoteUrl: null,
      remoteTokenEncrypted: null,
      remoteProvider: null,
    });
    expect(await auditCount(t.org.id, "repository.remote_disconnect")).toBe(1);
    await call(remoteRoute.DELETE, "DELETE");
    expect(await auditCount(t.org.id, "repository.remote_disconnect")).toBe(1);
  });

  it("answers a test of a remote that fails with a reason, and of none with 409", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
    const none = await call(testRoute.POST, "POST", {});
    expect(none.status).toBe(409);
    const res = await call(testRoute.POST, "POST", { url: "/nonexistent/repo.git" });
    expect(await res.json()).toEqual({
      ok: false,
      reason: "No repository was found at that URL (or the token cannot see it).",
    });
  });

  it.each([
    ["file:///etc", /Local paths/],
    ["/srv/repos/x.git", /Local paths/],
    ["https://127.0.0.1/x.git", /could not be reached/],
    ["https://169.254.169.254/latest/meta-data", /could not be reached/],
    ["https://[::1]/x.git", /could not be reached/],
    ["http://127.0.0.1:8080/x.git", /https:\/\//],
    ["https://me:tok@github.com/acme/widgets.git", /token field/],
    ["ext::sh -c id", /spaces|transport/],
    ["git@github.com:acme/widgets.git", /SSH/],
    ["-c", /hyphen/],
    ["", /Enter the repository's URL/],
  ])(
    "refuses to connect or test %s (private-network setting off) and changes nothing",
    async (url, message) => {
      await ensureOrigin();
      const before = await snapshot();
      // An empty URL asks the test route to try the connected remote (none here: 409, see above).
      for (const handler of url ? [remoteRoute.POST, testRoute.POST] : [remoteRoute.POST]) {
        const res = await call(handler, "POST", { url, token: "tok" });
        expect(res.status).toBe(422);
        expect((await errorOf(res)).fieldErrors?.url?.[0]).toMatch(message);
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it("refuses tokens that are not one printable word and NUL bytes in the URL", async () => {
    await ensureOrigin();
    const before = await snapshot();
    const bad = await call(remoteRoute.POST, "POST", {
      url: "https://github.com/a/b.git",
      token: "abc def\r\nX: y",
    });
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).fieldErrors?.token).toBeDefined();
    const nul = await call(remoteRoute.POST, "POST", { url: "https://github.com/a\u0000/b.git" });
    expect(nul.status).toBe(400);
    expect((await errorOf(nul)).fieldErrors?.url).toBeDefined();
    expect(await snapshot()).toEqual(before);
  });
});

describe("POST /projects with import", () => {
  const post = (json: unknown) =>
    projectsRoute.POST(
      jsonRequest(`/api/orgs/${t.org.slug}/projects`, "POST", json),
      routeArgs({ org: t.org.slug }),
    );

  it("imports a local repository when the operator allows it", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
    actAs(t.member);
    const upstream = await makeUpstream({ files: { Makefile: "test:\n\ttrue\n" } });
    const res = await post({ name: "Imported", import: { url: upstream.dir } });
    expect(res.status).toBe(201);
    const { project: created } = await res.json();
    expect(await repoRow(created.id)).toMatchObject({ remoteUrl: upstream.dir, testCommand: "make test" });
  });

  it.each(["file:///etc", "https://127.0.0.1/x.git", "https://169.254.169.254/", "https://[::1]/x.git"])(
    "refuses %s with an import.url message and creates nothing",
    async (url) => {
      actAs(t.member);
      const db = await getDb();
      const before = (await db.select().from(projects).where(eq(projects.orgId, t.org.id))).length;
      const res = await post({ name: "Nope", import: { url } });
      expect(res.status).toBe(422);
      expect((await errorOf(res)).fieldErrors?.["import.url"]).toHaveLength(1);
      expect((await db.select().from(projects).where(eq(projects.orgId, t.org.id))).length).toBe(before);
    },
  );

  it("refuses a NUL byte in the import token with 400", async () => {
    actAs(t.member);
    const res = await post({ name: "Nope", import: { url: "https://github.com/a/b", token: "a\u0000b" } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).fieldErrors?.["import.token"]).toBeDefined();
  });
});

describe("POST /runs/[run]/push", () => {
  async function runWithBranch() {
    const { origin } = await ensureOrigin();
    const branch = "dm/1-add-csv-export";
    const sha = await commitFilesToBare(
      origin,
      branch,
      [{ path: "csv.ts", content: "export {}\n" }],
      "T1: CSV",
    );
    const run = await createRunRow(t.org.id, project.id, {
      number: 1,
      branch,
      headCommit: sha,
      goal: "Add CSV export",
    });
    return { run, branch, sha, origin };
  }
  const push = (runId: string, opts: { org?: string; project?: string } = {}) =>
    call(pushRoute.POST, "POST", undefined, { ...opts, run: runId });

  it("pushes the run branch to the connected remote, once, and records it", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
    const { run, branch, sha } = await runWithBranch();
    const upstream = await makeUpstream();
    const db = await getDb();
    await db
      .update(projectRepositories)
      .set({ remoteUrl: upstream.dir, remoteProvider: "git" })
      .where(eq(projectRepositories.projectId, project.id));
    actAs(t.member);
    const res = await push(run.id);
    expect(res.status).toBe(200);
    expect((await res.json()).push).toEqual({
      branch,
      sha,
      remote: upstream.dir,
      pushed: true,
      pullRequestUrl: null,
    });
    const { stdout } = await gitBare(upstream.dir, ["rev-parse", `refs/heads/${branch}`]);
    expect(stdout.trim()).toBe(sha);
    const again = await (await push(run.id)).json();
    expect(again.push.pushed).toBe(false);
    const events = await db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.runId, run.id), eq(runEvents.type, "run.pushed")));
    expect(events).toHaveLength(1);
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row?.pushedAt).toBeInstanceOf(Date);
    expect(await auditCount(t.org.id, "run.push")).toBe(2);
  });

  it("answers 409 without a remote, 403 to a viewer, 404 from another organization or project", async () => {
    const { run } = await runWithBranch();
    actAs(t.member);
    const none = await push(run.id);
    expect(none.status).toBe(409);
    expect((await errorOf(none)).message).toMatch(/Connect a remote/);
    actAs(t.viewer);
    expect((await push(run.id)).status).toBe(403);
    actAs(t.outsider);
    expect((await push(run.id)).status).toBe(404);
    actAs(t.owner);
    const other = await createProjectRow(t.org.id);
    expect((await push(run.id, { project: other.slug })).status).toBe(404);
    expect((await push("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await push("not-a-uuid")).status).toBe(404);
  });
});

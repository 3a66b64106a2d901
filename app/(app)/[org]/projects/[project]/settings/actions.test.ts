import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { projectRepositories } from "@/db/schema";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { makeUpstream } from "@/tests/support/git-remote";
import { auditCount } from "@/tests/support/org-helpers";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import { createProjectAction } from "../../actions";
import { pushRunAction } from "../runs/[run]/push-action";
import {
  connectRemoteAction,
  disconnectRemoteAction,
  testRemoteAction,
  updateRepositoryAction,
} from "./actions";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: ["x"] }) } }));

type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;
let slug: string;
let projectId: string;

beforeEach(async () => {
  t = await createTeam();
  const p = await createProjectRow(t.org.id);
  slug = p.slug;
  projectId = p.id;
  actAs(null);
});
afterEach(() => setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: undefined }));

describe("repository actions", () => {
  it("refuse viewers and other organizations, and change nothing", async () => {
    const run = await createRunRow(t.org.id, projectId, { number: 1, branch: "dm/1-x" });
    const calls = [
      () => updateRepositoryAction(t.org.slug, { project: slug, testCommand: "npm test" }),
      () => connectRemoteAction(t.org.slug, { project: slug, url: "https://github.com/a/b.git" }),
      () => testRemoteAction(t.org.slug, { project: slug }),
      () => disconnectRemoteAction(t.org.slug, { project: slug }),
      () => pushRunAction(t.org.slug, { project: slug, run: run.id }),
    ];
    for (const [user, code] of [
      [t.viewer, "forbidden"],
      [t.outsider, "not_found"],
    ] as const) {
      actAs(user);
      for (const call of calls) {
        const result = await call();
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe(code);
      }
    }
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("save commands, refuse a file:// remote with a field message, connect a local one when allowed", async () => {
    actAs(t.member);
    const saved = await updateRepositoryAction(t.org.slug, {
      project: slug,
      testCommand: "make test",
      buildCommand: "",
    });
    expect(saved.ok && saved.data.commands).toEqual({
      testCommand: "make test",
      buildCommand: null,
      installCommand: null,
      lintCommand: null,
    });
    const refused = await connectRemoteAction(t.org.slug, { project: slug, url: "file:///etc" });
    expect(!refused.ok && refused.error.fieldErrors?.url?.[0]).toMatch(/Local paths/);
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
    const upstream = await makeUpstream();
    const connected = await connectRemoteAction(t.org.slug, { project: slug, url: upstream.dir, token: "" });
    expect(connected.ok && connected.data.remote).toEqual({
      url: upstream.dir,
      provider: "git",
      repo: null,
      hasToken: false,
    });
    const tested = await testRemoteAction(t.org.slug, { project: slug });
    expect(tested.ok && tested.data).toEqual({ ok: true, defaultBranch: "main", branches: 1 });
    const db = await getDb();
    const [row] = await db
      .select()
      .from(projectRepositories)
      .where(eq(projectRepositories.projectId, projectId));
    expect(row?.remoteUrl).toBe(upstream.dir);
  });

  it("create a project by importing a repository from the form's object", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
    actAs(t.member);
    const upstream = await makeUpstream({ files: { "pyproject.toml": "[project]\n" } });
    const created = await createProjectAction(t.org.slug, {
      name: "From the form",
      source: "import",
      import: { url: upstream.dir, token: "" },
    });
    expect(created.ok).toBe(true);
    const failed = await createProjectAction(t.org.slug, { name: "Broken", import: { url: "/nope/x.git" } });
    expect(!failed.ok && failed.error.fieldErrors?.["import.url"]?.[0]).toMatch(/No repository/);
  });
});

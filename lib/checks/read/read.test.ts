import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { projectRepositories } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createCheckRow } from "@/tests/support/check-fixtures";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { summarizeBranch } from "./check-info";
import { getProjectCheckStatus } from "./project-check-status";

const meta = { ip: "198.51.100.7", userAgent: "vitest" };
type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;
beforeEach(async () => {
  t = await createTeam();
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

describe("getProjectCheckStatus", () => {
  it("gives the default branch's and each run branch's latest checks, newest run first", async () => {
    const project = await createProjectRow(t.org.id);
    const db = await getDb();
    await db
      .insert(projectRepositories)
      .values({ orgId: t.org.id, projectId: project.id, defaultBranch: "trunk" });
    const green = await createRunRow(t.org.id, project.id, {
      status: "completed",
      number: 1,
      branch: "dm/1-a",
    });
    const red = await createRunRow(t.org.id, project.id, { status: "failed", number: 2, branch: "dm/2-b" });
    const unchecked = await createRunRow(t.org.id, project.id, { status: "running", number: 3 });
    const p = { orgId: t.org.id, projectId: project.id };
    // Run 1: its test failed, then passed when run again; its build passed.
    await createCheckRow({
      ...p,
      runId: green.id,
      scope: "branch",
      branch: "dm/1-a",
      status: "failed",
      createdAt: minutesAgo(30),
    });
    await createCheckRow({
      ...p,
      runId: green.id,
      scope: "branch",
      branch: "dm/1-a",
      createdAt: minutesAgo(20),
    });
    await createCheckRow({
      ...p,
      runId: green.id,
      scope: "branch",
      branch: "dm/1-a",
      kind: "build",
      counts: null,
      createdAt: minutesAgo(21),
    });
    // Run 2: red on its branch, checked after run 1.
    await createCheckRow({
      ...p,
      runId: red.id,
      scope: "branch",
      branch: "dm/2-b",
      status: "failed",
      counts: { format: "tap", passed: 3, failed: 1, skipped: 0, total: 4 },
      createdAt: minutesAgo(5),
    });
    // Task checks never count as the branch's.
    await createCheckRow({ ...p, runId: unchecked.id, scope: "task", status: "failed" });
    await createCheckRow({
      ...p,
      scope: "default_branch",
      branch: "trunk",
      status: "passed",
      createdAt: minutesAgo(50),
    });
    await createCheckRow({ ...p, scope: "default_branch", branch: "old-main", status: "failed" });
    // Another org's checks on a project of its own are invisible.
    const foreign = await createProjectRow(t.otherOrg.id);
    await createCheckRow({ orgId: t.otherOrg.id, projectId: foreign.id, scope: "branch", status: "failed" });

    const ctx = await resolveOrgContext(t.viewer, t.org.slug, "projects.read", meta);
    const status = await getProjectCheckStatus(ctx, project.slug);
    expect(status.defaultBranch?.branch).toBe("trunk");
    expect(status.defaultBranch?.checks).toMatchObject({ status: "passed", passed: 2, failed: 0 });
    expect(status.runBranches.map((r) => [r.runNumber, r.branch, r.checks.status])).toEqual([
      [2, "dm/2-b", "failed"],
      [1, "dm/1-a", "passed"],
    ]);
    expect(status.runBranches[0]?.checks).toMatchObject({ passed: 3, failed: 1 });
    expect(status.runBranches[1]?.checks.checks.map((c) => c.kind).sort()).toEqual(["build", "test"]);

    const outsider = await resolveOrgContext(t.outsider, t.otherOrg.slug, "projects.read", meta);
    await expect(getProjectCheckStatus(outsider, project.slug)).rejects.toMatchObject({ code: "not_found" });
  });

  it("says the default branch was never checked, and lists no run branches, when nothing ran", async () => {
    const project = await createProjectRow(t.org.id);
    const db = await getDb();
    await db.insert(projectRepositories).values({ orgId: t.org.id, projectId: project.id });
    const ctx = await resolveOrgContext(t.member, t.org.slug, "projects.read", meta);
    expect(await getProjectCheckStatus(ctx, project.slug)).toEqual({
      defaultBranch: { branch: "main", checks: null },
      runBranches: [],
    });
  });
});

describe("summarizeBranch", () => {
  const info = (status: "passed" | "failed" | "error" | "skipped") =>
    ({
      status,
      counts: null,
      durationMs: 10,
      createdAt: "2026-12-01T00:00:00.000Z",
      commitSha: "abc",
    }) as never;
  it("is red when any check failed or errored, grey when all were skipped", () => {
    expect(summarizeBranch([info("passed"), info("error")])?.status).toBe("failed");
    expect(summarizeBranch([info("skipped"), info("passed")])?.status).toBe("passed");
    expect(summarizeBranch([info("skipped")])?.status).toBe("skipped");
    expect(summarizeBranch([])).toBeNull();
  });
});

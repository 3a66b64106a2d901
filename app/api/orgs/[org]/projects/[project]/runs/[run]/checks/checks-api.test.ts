import { beforeEach, describe, expect, it } from "vitest";
import { createCheckRow } from "@/tests/support/check-fixtures";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import * as checkRoute from "./[check]/route";
import * as listRoute from "./route";

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Team = Awaited<ReturnType<typeof createTeam>>;

const get = (handler: Handler, params: Record<string, string>) =>
  handler(
    new Request(`http://localhost/api/orgs/${params.org}/x`, {
      headers: { "user-agent": "api-test", origin: "http://localhost" },
    }),
    { params: Promise.resolve(params) },
  );

let t: Team;
beforeEach(async () => {
  t = await createTeam();
  actAs(null);
});

async function seed() {
  const project = await createProjectRow(t.org.id);
  const run = await createRunRow(t.org.id, project.id, { status: "running", branch: "dm/1-thing" });
  const older = await createCheckRow({
    orgId: t.org.id,
    projectId: project.id,
    runId: run.id,
    attempt: 1,
    status: "failed",
    exitCode: 1,
    counts: { format: "tap", passed: 1, failed: 1, skipped: 0, total: 2 },
    log: "not ok 2 - subtracts\n# SECRET-LOOKING LINE\n",
    createdAt: new Date(Date.now() - 60_000),
  });
  const newer = await createCheckRow({ orgId: t.org.id, projectId: project.id, runId: run.id, attempt: 2 });
  const base = { org: t.org.slug, project: project.slug, run: run.id };
  return { project, run, older, newer, base };
}

describe("run checks API", () => {
  it("lists a run's checks newest first, without logs; a viewer may read", async () => {
    const { base, older, newer } = await seed();
    actAs(t.viewer);
    const res = await get(listRoute.GET, base);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { checks: Record<string, unknown>[] };
    expect(body.checks.map((c) => c.id)).toEqual([newer.id, older.id]);
    expect(body.checks[1]).toMatchObject({
      status: "failed",
      exitCode: 1,
      attempt: 1,
      kind: "test",
      driver: "bubblewrap",
      counts: { passed: 1, failed: 1 },
    });
    expect(body.checks[0]).not.toHaveProperty("log");
    expect(body.checks[0]).not.toHaveProperty("stepKey");
    expect(body.checks[0]).not.toHaveProperty("orgId");
  });

  it("gets one check with its log", async () => {
    const { base, older } = await seed();
    actAs(t.member);
    const res = await get(checkRoute.GET, { ...base, check: older.id });
    expect(res.status).toBe(200);
    const { check } = (await res.json()) as { check: { id: string; log: string; status: string } };
    expect(check).toMatchObject({ id: older.id, status: "failed" });
    expect(check.log).toContain("not ok 2 - subtracts");
  });

  it("404s a check of another run, another project, or another org", async () => {
    const { base, older, project } = await seed();
    actAs(t.member);
    // The same check asked for under a different run of the same project.
    const otherRun = await createRunRow(t.org.id, project.id, { status: "running" });
    expect((await get(checkRoute.GET, { ...base, run: otherRun.id, check: older.id })).status).toBe(404);
    // The run under a different project of the same org.
    const otherProject = await createProjectRow(t.org.id);
    expect((await get(listRoute.GET, { ...base, project: otherProject.slug })).status).toBe(404);
    expect((await get(checkRoute.GET, { ...base, project: otherProject.slug, check: older.id })).status).toBe(
      404,
    );
    expect((await get(checkRoute.GET, { ...base, check: "not-a-uuid" })).status).toBe(404);
    // A stranger gets 404, nothing of the log.
    actAs(t.outsider);
    const res = await get(checkRoute.GET, { ...base, check: older.id });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("subtracts");
    expect((await get(listRoute.GET, base)).status).toBe(404);
    // The outsider's own org, with this org's ids: still nothing.
    const foreign = { org: t.otherOrg.slug, project: base.project, run: base.run };
    expect((await get(checkRoute.GET, { ...foreign, check: older.id })).status).toBe(404);
    actAs(null);
    expect((await get(listRoute.GET, base)).status).toBe(401);
  });
});

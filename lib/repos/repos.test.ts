import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb, withTenant } from "@/db";
import { projectRepositories, runs } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createProject } from "@/lib/projects/create-project";
import { createProjectSchema } from "@/lib/projects/schemas";
import { startRunBodySchema } from "@/lib/runs/schemas";
import { startRun } from "@/lib/runs/start-run";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { runBranchName } from "./branch-name";
import { ensureRepository } from "./ensure-repository";
import { gitBare, redactGitText } from "./git";
import { originPath, workingCopyPath } from "./paths";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: ["x"] }) } }));

const meta = { ip: "198.51.100.7", userAgent: "vitest" };

describe("project repositories", () => {
  it("creates each new project with a bare origin holding one commit with the README from its brief", async () => {
    const t = await createTeam();
    const ctx = await resolveOrgContext(t.member, t.org.slug, "projects.write", meta);
    const p = await createProject(
      ctx,
      createProjectSchema.parse({ name: "Billing", brief: "Invoices for **everyone**." }),
    );
    const db = await getDb();
    const [repo] = await db.select().from(projectRepositories).where(eq(projectRepositories.projectId, p.id));
    expect(repo).toMatchObject({ orgId: t.org.id, defaultBranch: "main", remoteUrl: null });
    const origin = originPath(t.org.id, p.id);
    const { stdout: log } = await gitBare(origin, ["log", "--format=%an|%cn|%s", "main"]);
    expect(log.trim()).toBe("DafnckMachine|DafnckMachine|Initial commit");
    const { stdout: readme } = await gitBare(origin, ["show", "main:README.md"]);
    expect(readme).toContain("# Billing");
    expect(readme).toContain("Invoices for **everyone**.");
  });

  it("creates the repository of an older project on first use, once, however many callers race", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        withTenant({ orgId: t.org.id }, (tx) =>
          ensureRepository(tx, t.org.id, { id: project.id, name: project.name, brief: project.brief }),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.repo.id)).size).toBe(1);
    const { stdout } = await gitBare(originPath(t.org.id, project.id), ["rev-list", "--count", "main"]);
    expect(stdout.trim()).toBe("1");
  });

  it("numbers runs per project and names their branches from the goal, also when started at once", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const ctx = await resolveOrgContext(t.member, t.org.slug, "runs.start", meta);
    const started = await Promise.all(
      ["Add CSV export", "Fix the login page", "Ünïcode & symbols!!"].map((goal) =>
        startRun(ctx, project.slug, startRunBodySchema.parse({ goal, template: "feature-build" })),
      ),
    );
    const db = await getDb();
    const rows = await db.select().from(runs).where(eq(runs.projectId, project.id));
    expect(rows.map((r) => r.number).sort()).toEqual([1, 2, 3]);
    for (const row of rows) expect(row.branch).toBe(runBranchName(row.number ?? 0, row.goal));
    expect(started).toHaveLength(3);
    const other = await createProjectRow(t.org.id);
    const first = await startRun(
      ctx,
      other.slug,
      startRunBodySchema.parse({ goal: "Write the first version", template: "feature-build" }),
    );
    const [row] = await db.select().from(runs).where(eq(runs.id, first.id));
    expect(row?.number).toBe(1);
  });

  it("names branches git accepts, whatever the goal", async () => {
    expect(runBranchName(7, "Add CSV export to the invoices page")).toBe(
      "dm/7-add-csv-export-to-the-invoices-page",
    );
    expect(runBranchName(12, "../../etc ~^:?*[ .lock")).toMatch(/^dm\/12-[a-z0-9-]+$/);
    expect(runBranchName(3, "日本語")).toBe("dm/3-run");
    expect(runBranchName(1, "a".repeat(200)).length).toBeLessThanOrEqual(46);
  });

  it("builds paths only from ids, never from names a tenant chose", () => {
    const org = "00000000-0000-4000-8000-000000000001";
    expect(() => originPath(org, "../../etc")).toThrow(/not a uuid/);
    expect(() => workingCopyPath(org, org, "../x")).toThrow(/bad working copy name/);
    expect(originPath(org, org).endsWith(`${org}/${org}.git`)).toBe(true);
  });

  it("keeps credentials out of git's error text", () => {
    expect(
      redactGitText(
        "fatal: unable to access 'https://x-access-token:ghp_abcdefghijklmnopqrstuvwxyz123456@github.com/a/b'",
      ),
    ).not.toMatch(/ghp_|x-access-token/);
    expect(redactGitText("Authorization: Bearer abc.def")).toBe("Authorization: Bearer ***");
  });
});

import { describe, expect, it, vi } from "vitest";
import { getDb, withTenant } from "@/db";
import { checks } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import { ensureRepository } from "@/lib/repos/ensure-repository";
import { resolveSandbox } from "@/lib/sandbox/resolve-sandbox";
import { createTeam } from "@/tests/support/factories";
import { commitToOrigin } from "@/tests/support/repo-fixtures";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { checkDefaultBranch } from "./check-default-branch";
import { getProjectCheckStatus } from "./read/project-check-status";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: ["x"] }) } }));

const PACKAGE = JSON.stringify({
  name: "t",
  private: true,
  type: "module",
  scripts: { test: "node --test" },
});
const TEST = `import test from "node:test";\nimport assert from "node:assert/strict";\ntest("one", () => assert.equal(1, 1));\ntest("two", () => assert.equal(2, 2));\n`;

describe("the default branch's checks", () => {
  it("run on its head in the sandbox, once per request, and show on the project", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const { origin } = await withTenant({ orgId: t.org.id }, (tx) => ensureRepository(tx, t.org.id, project));
    const ids = { orgId: t.org.id, projectId: project.id };
    // A README only: nothing to check.
    expect(await checkDefaultBranch(ids, "req-0", () => resolveSandbox())).toMatchObject({
      status: "skipped",
    });
    const head = await commitToOrigin(origin, {
      branch: "main",
      message: "Add a test",
      changes: [
        { path: "package.json", content: PACKAGE },
        { path: "test/a.test.js", content: TEST },
      ],
    });
    let runs = 0;
    const counting = async () => {
      const real = await resolveSandbox();
      if (!real.available) return real;
      return {
        ...real,
        driver: {
          name: real.driver.name,
          run: (r: Parameters<typeof real.driver.run>[0]) => {
            runs++;
            return real.driver.run(r);
          },
        },
      };
    };
    const result = await checkDefaultBranch(ids, "req-1", counting);
    expect(result).toMatchObject({ status: "passed", commit: head });
    expect(result.summary).toContain("2 passed, 0 failed");
    // The step run again (a retry) reuses what it stored.
    await checkDefaultBranch(ids, "req-1", counting);
    expect(runs).toBe(1);
    const db = await getDb();
    const rows = (await db.select().from(checks)).filter((r) => r.projectId === project.id);
    expect(rows.map((r) => [r.scope, r.kind, r.status, r.commitSha])).toEqual([
      ["default_branch", "test", "passed", head],
    ]);

    const ctx = await resolveOrgContext(t.viewer, t.org.slug, "projects.read", {
      ip: "198.51.100.7",
      userAgent: "vitest",
    });
    const status = await getProjectCheckStatus(ctx, project.slug);
    expect(status.defaultBranch?.checks?.status).toBe("passed");
  });
});

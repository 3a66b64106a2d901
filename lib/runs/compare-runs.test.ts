import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { modelCalls, runTasks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { compareRuns } from "./compare-runs";

const meta = { ip: "198.51.100.7", userAgent: "vitest" };

async function seed(
  orgId: string,
  projectId: string,
  tasks: { key: string; status: "done" | "todo"; tokens: number }[],
) {
  const db = await getDb();
  const run = await createRunRow(orgId, projectId, { status: "completed" });
  for (const [i, t] of tasks.entries()) {
    const [row] = await db
      .insert(runTasks)
      .values({
        orgId,
        runId: run.id,
        key: t.key,
        phaseKey: "build",
        title: `Task ${t.key}`,
        description: "",
        agentSlug: "coder",
        status: t.status,
        position: i,
        commitSha: t.status === "done" ? "a".repeat(40) : null,
      })
      .returning();
    if (t.tokens) {
      await db.insert(modelCalls).values({
        orgId,
        runId: run.id,
        taskId: row?.id,
        agentSlug: "coder",
        provider: "demo",
        modelId: "demo",
        inputTokens: t.tokens,
        outputTokens: 10,
        costUsd: 0.01,
      });
    }
  }
  return run;
}

describe("compareRuns", () => {
  it("lines up both runs' tasks by key with their tokens, for any reader of the org", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const a = await seed(t.org.id, project.id, [
      { key: "spec", status: "done", tokens: 100 },
      { key: "build", status: "done", tokens: 300 },
    ]);
    const b = await seed(t.org.id, project.id, [
      { key: "spec", status: "done", tokens: 0 },
      { key: "build", status: "todo", tokens: 50 },
      { key: "docs", status: "todo", tokens: 0 },
    ]);
    const ctx = await resolveOrgContext(t.viewer, t.org.slug, "runs.read", meta);
    const cmp = await compareRuns(ctx, project.slug, a.id, b.id);
    expect(cmp.runs.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(cmp.tasks.map((r) => r.key)).toEqual(["spec", "build", "docs"]);
    expect(cmp.tasks[1]?.a).toMatchObject({ status: "done", inputTokens: 300, outputTokens: 10 });
    expect(cmp.tasks[1]?.b).toMatchObject({ status: "todo", inputTokens: 50 });
    expect(cmp.tasks[2]?.a).toBeNull();
    expect(cmp.tasks[0]?.b).toMatchObject({ inputTokens: 0, commitSha: "a".repeat(40) });
  });

  it("answers 404 for another organization's run, or a run of another project", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const other = await createProjectRow(t.org.id);
    const mine = await seed(t.org.id, project.id, [{ key: "x", status: "done", tokens: 1 }]);
    const elsewhere = await seed(t.org.id, other.id, [{ key: "x", status: "done", tokens: 1 }]);
    const foreignProject = await createProjectRow(t.otherOrg.id);
    const foreign = await seed(t.otherOrg.id, foreignProject.id, [{ key: "x", status: "done", tokens: 1 }]);
    const ctx = await resolveOrgContext(t.member, t.org.slug, "runs.read", meta);
    for (const [slug, x, y] of [
      [project.slug, mine.id, elsewhere.id],
      [project.slug, mine.id, foreign.id],
      [foreignProject.slug, foreign.id, foreign.id],
    ] as const) {
      const error = await compareRuns(ctx, slug, x, y).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("not_found");
    }
  });
});

import { and, asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditLogs, projects, runEvents, runs, runTasks } from "@/db/schema";
import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { apiKeyContext } from "@/lib/api-keys/key-context";
import { AppError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { updateProjectContext } from "@/lib/projects/update-project-context";
import { startRunBodySchema } from "@/lib/runs/schemas";
import { mintApiKey } from "@/tests/support/api-keys";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import {
  addRunTask,
  approveRunPlan,
  claimExternalTask,
  completeExternalTask,
  listReadyExternalTasks,
  removeRunTask,
  reorderRunTasks,
  updateRunTask,
  updateTaskContext,
} from "./index";

const sent = vi.hoisted(() => ({
  events: [] as { name: string; data: Record<string, unknown>; id?: string }[],
}));
vi.mock("@/inngest/client", () => ({
  inngest: {
    send: async (e: { name: string; data: Record<string, unknown>; id?: string }) => {
      sent.events.push(e);
      return { ids: ["x"] };
    },
  },
}));

const meta = { ip: "198.51.100.7", userAgent: "vitest" };
type Team = Awaited<ReturnType<typeof createTeam>>;
const ctxOf = (t: Team, user = t.member, perm: Parameters<typeof resolveOrgContext>[2] = "runs.read") =>
  resolveOrgContext(user, t.org.slug, perm, meta);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const task = (key: string, extra: Partial<typeof runTasks.$inferInsert> = {}) => ({
  key,
  phaseKey: "build",
  title: `Do ${key}`,
  description: `Work on ${key}.`,
  agentSlug: "coder",
  acceptanceCriteria: [`${key} works`],
  ...extra,
});

/** A running run with a plan a → b, c (c done). */
async function seedRun(team: Team, values: Partial<typeof runs.$inferInsert> = {}) {
  const project = await createProjectRow(team.org.id);
  const run = await createRunRow(team.org.id, project.id, { status: "running", branch: "dm/1-x", ...values });
  const db = await getDb();
  await db
    .insert(runTasks)
    .values(
      [
        task("a", { position: 0 }),
        task("b", { position: 1, dependsOn: ["a"] }),
        task("c", { position: 2, status: "done", startedAt: new Date(), attempts: 1 }),
      ].map((t) => ({ ...t, orgId: team.org.id, runId: run.id })),
    );
  await db.insert(runEvents).values({
    orgId: team.org.id,
    runId: run.id,
    seq: 1,
    type: "run.plan",
    data: { phases: [{ key: "build", title: "Build" }], tasks: [] },
  });
  return { project, run };
}

async function tasksOf(runId: string) {
  const db = await getDb();
  return db.select().from(runTasks).where(eq(runTasks.runId, runId)).orderBy(asc(runTasks.position));
}
async function eventsOf(runId: string) {
  const db = await getDb();
  return db.select().from(runEvents).where(eq(runEvents.runId, runId)).orderBy(asc(runEvents.seq));
}
async function auditOf(orgId: string, action: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.orgId, orgId), eq(auditLogs.action, action)));
}

const newTask = {
  title: "Write the release notes",
  description: "Summarize the changes for users.",
  agentSlug: "documentation-writer",
  phaseKey: "build",
  dependsOn: ["a"],
  acceptanceCriteria: ["Lists every user-visible change"],
};

beforeEach(() => {
  sent.events = [];
});

describe("addRunTask", () => {
  it("adds a task at the end with a key from its title, audited and streamed", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const ctx = await ctxOf(team);
    const added = await addRunTask(ctx, run.id, newTask);
    expect(added).toMatchObject({ key: "write-the-release-notes", status: "todo", dependsOn: ["a"] });
    const rows = await tasksOf(run.id);
    expect(rows.at(-1)).toMatchObject({ key: "write-the-release-notes", position: 3, worker: "agent" });
    const last = (await eventsOf(run.id)).at(-1);
    expect(last).toMatchObject({ type: "plan.edited", data: { op: "add" } });
    expect((last?.data as { tasks: { key: string }[] } | undefined)?.tasks[0]?.key).toBe(
      "write-the-release-notes",
    );
    const audit = await auditOf(team.org.id, "plan.edit");
    expect(audit[0]?.metadata).toMatchObject({ op: "add", task: "write-the-release-notes" });
    // The agent is pinned for the rest of the run.
    const db = await getDb();
    const [after] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(after?.agentVersions["documentation-writer"]).toBe(0);
    // Same title again: the next free key.
    expect((await addRunTask(ctx, run.id, newTask)).key).toBe("write-the-release-notes-2");
    // A run waiting on external workers is told its plan changed.
    expect(sent.events.at(-1)).toMatchObject({
      name: "runs/run.nudged",
      data: { runId: run.id, reason: "plan_edited" },
    });
  });

  it("keeps the plan within the orchestrator's task limit", async () => {
    const team = await createTeam();
    const project = await createProjectRow(team.org.id);
    const run = await createRunRow(team.org.id, project.id, { status: "running" });
    const db = await getDb();
    await db.insert(runTasks).values(
      Array.from({ length: 40 }, (_, i) => ({
        ...task(`t${i}`, { position: i }),
        orgId: team.org.id,
        runId: run.id,
      })),
    );
    const error = await rejection(addRunTask(await ctxOf(team), run.id, { ...newTask, dependsOn: [] }));
    expect(error.status).toBe(422);
    expect(error.fieldErrors?._?.[0]).toContain("the limit is 40");
  });

  it("refuses a task once every task is done (the run is finishing)", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const db = await getDb();
    await db.update(runTasks).set({ status: "done" }).where(eq(runTasks.runId, run.id));
    const error = await rejection(addRunTask(await ctxOf(team), run.id, { ...newTask, dependsOn: [] }));
    expect(error.status).toBe(409);
    expect(error.message).toContain("finishing");
  });

  it("opens a new phase when given its name, and refuses an unknown phase without one", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const ctx = await ctxOf(team);
    const error = await rejection(addRunTask(ctx, run.id, { ...newTask, phaseKey: "ship" }));
    expect(error.status).toBe(422);
    expect(error.fieldErrors?.phaseKey?.[0]).toContain('no phase "ship"');
    await addRunTask(ctx, run.id, { ...newTask, key: "notes", phaseKey: "ship", phaseName: "Ship" });
    const last = (await eventsOf(run.id)).at(-1);
    expect(last?.data).toMatchObject({
      phases: [
        { key: "build", title: "Build" },
        { key: "ship", title: "Ship" },
      ],
    });
  });

  it("refuses an unknown agent, an unknown dependency, a duplicate key (422 by field), changing nothing", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const ctx = await ctxOf(team);
    const agent = await rejection(addRunTask(ctx, run.id, { ...newTask, agentSlug: "wizard" }));
    expect(agent.status).toBe(422);
    expect(agent.fieldErrors?.agentSlug?.[0]).toContain('unknown agent "wizard"');
    // The orchestrator and the reviewer are not assignable, as in the orchestrator's plan.
    const reviewer = await rejection(addRunTask(ctx, run.id, { ...newTask, agentSlug: "reviewer" }));
    expect(reviewer.fieldErrors?.agentSlug).toBeDefined();
    const dep = await rejection(addRunTask(ctx, run.id, { ...newTask, dependsOn: ["nope"] }));
    expect(dep.status).toBe(422);
    expect(dep.fieldErrors?.dependsOn?.[0]).toContain('"nope"');
    const dup = await rejection(addRunTask(ctx, run.id, { ...newTask, key: "a" }));
    expect(dup.fieldErrors?.key).toBeDefined();
    const shape = await rejection(addRunTask(ctx, run.id, { ...newTask, acceptanceCriteria: [] }));
    expect(shape.fieldErrors?.acceptanceCriteria).toBeDefined();
    expect(await tasksOf(run.id)).toHaveLength(3);
    expect(await auditOf(team.org.id, "plan.edit")).toHaveLength(0);
  });

  it("is 403 for a viewer and for a key without runs.start, 404 from another org, 409 on a finished run", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    expect((await rejection(addRunTask(await ctxOf(team, team.viewer), run.id, newTask))).status).toBe(403);
    const key = await mintApiKey(team.owner, team.org.slug, ["runs.read"]);
    const keyCtx = apiKeyContext(await authenticateApiKey(key.secret, meta), meta);
    const forbidden = await rejection(addRunTask(keyCtx, run.id, newTask));
    expect(forbidden.status).toBe(403);
    expect(forbidden.message).toContain("runs.start");
    const other = await resolveOrgContext(team.outsider, team.otherOrg.slug, "runs.read", meta);
    expect((await rejection(addRunTask(other, run.id, newTask))).status).toBe(404);
    expect((await rejection(addRunTask(other, "not-a-uuid", newTask))).status).toBe(404);
    const db = await getDb();
    await db.update(runs).set({ status: "completed" }).where(eq(runs.id, run.id));
    const done = await rejection(addRunTask(await ctxOf(team), run.id, newTask));
    expect(done.status).toBe(409);
    expect(done.message).toContain("completed");
  });
});

describe("updateRunTask", () => {
  it("changes an unstarted task's agent, dependencies and criteria, streamed and audited", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const ctx = await ctxOf(team);
    const updated = await updateRunTask(ctx, run.id, "b", {
      agentSlug: "test-writer",
      dependsOn: ["a", "c"],
      acceptanceCriteria: "Covers the happy path\nCovers an error",
      worker: "external",
    });
    expect(updated).toMatchObject({
      agentSlug: "test-writer",
      dependsOn: ["a", "c"],
      acceptanceCriteria: ["Covers the happy path", "Covers an error"],
      worker: "external",
    });
    const last = (await eventsOf(run.id)).at(-1);
    expect(last).toMatchObject({ type: "plan.edited", data: { op: "update" } });
    const [audit] = await auditOf(team.org.id, "plan.edit");
    expect(audit?.metadata).toMatchObject({ op: "update", task: "b" });
  });

  it("refuses a cycle (422 naming it), an unknown agent, and a started or done task (409)", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const ctx = await ctxOf(team);
    const cycle = await rejection(updateRunTask(ctx, run.id, "a", { dependsOn: ["b"] }));
    expect(cycle.status).toBe(422);
    expect(cycle.message).toContain("a → b → a");
    expect(cycle.fieldErrors?.dependsOn?.[0]).toContain("Dependency cycle");
    const self = await rejection(updateRunTask(ctx, run.id, "a", { dependsOn: ["a"] }));
    expect(self.fieldErrors?.dependsOn?.[0]).toContain("depends on itself");
    const agent = await rejection(updateRunTask(ctx, run.id, "a", { agentSlug: "ghost" }));
    expect(agent.fieldErrors?.agentSlug?.[0]).toContain('unknown agent "ghost"');
    const done = await rejection(updateRunTask(ctx, run.id, "c", { title: "Again" }));
    expect(done.status).toBe(409);
    expect(done.message).toContain('Task "c" is done');
    const db = await getDb();
    await db
      .update(runTasks)
      .set({ status: "in_progress", startedAt: new Date() })
      .where(and(eq(runTasks.runId, run.id), eq(runTasks.key, "a")));
    const started = await rejection(updateRunTask(ctx, run.id, "a", { title: "Again" }));
    expect(started.status).toBe(409);
    expect(started.message).toContain("has already started");
    expect((await rejection(updateRunTask(ctx, run.id, "zzz", { title: "x" }))).status).toBe(404);
    expect((await rejection(updateRunTask(ctx, run.id, "b", { key: "x" } as never))).status).toBe(422);
  });

  it("two concurrent edits cannot make a cycle together", async () => {
    const team = await createTeam();
    const project = await createProjectRow(team.org.id);
    const run = await createRunRow(team.org.id, project.id, { status: "running" });
    const db = await getDb();
    await db.insert(runTasks).values(
      [task("x", { position: 0 }), task("y", { position: 1 })].map((t) => ({
        ...t,
        orgId: team.org.id,
        runId: run.id,
      })),
    );
    const ctx = await ctxOf(team);
    for (let i = 0; i < 3; i++) {
      const results = await Promise.allSettled([
        updateRunTask(ctx, run.id, "x", { dependsOn: ["y"] }),
        updateRunTask(ctx, run.id, "y", { dependsOn: ["x"] }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rows = await tasksOf(run.id);
      const x = rows.find((r) => r.key === "x");
      const y = rows.find((r) => r.key === "y");
      expect(x?.dependsOn.includes("y") && y?.dependsOn.includes("x")).toBe(false);
      // Reset for the next round.
      await db.update(runTasks).set({ dependsOn: [] }).where(eq(runTasks.runId, run.id));
    }
  });
});

describe("removeRunTask and reorderRunTasks", () => {
  it("removes an unstarted task, refusing one others depend on", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const ctx = await ctxOf(team);
    const blocked = await rejection(removeRunTask(ctx, run.id, "a"));
    expect(blocked.status).toBe(409);
    expect(blocked.message).toContain('"b" depends on it');
    expect((await rejection(removeRunTask(ctx, run.id, "c"))).status).toBe(409);
    const b = (await tasksOf(run.id)).find((t) => t.key === "b");
    await removeRunTask(ctx, run.id, "b");
    expect((await tasksOf(run.id)).map((t) => t.key)).toEqual(["a", "c"]);
    const last = (await eventsOf(run.id)).at(-1);
    expect(last).toMatchObject({ type: "plan.edited", data: { op: "remove", removed: [b?.id] } });
    const [audit] = await auditOf(team.org.id, "plan.edit");
    expect(audit?.metadata).toMatchObject({ op: "remove", task: "b" });
    expect((await rejection(removeRunTask(await ctxOf(team, team.viewer), run.id, "a"))).status).toBe(403);
  });

  it("re-orders unstarted tasks within their positions, refusing started ones", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const ctx = await ctxOf(team);
    const result = await reorderRunTasks(ctx, run.id, { keys: ["b", "a"] });
    expect(result.keys).toEqual(["b", "a", "c"]);
    expect((await tasksOf(run.id)).map((t) => t.key)).toEqual(["b", "a", "c"]);
    const last = (await eventsOf(run.id)).at(-1);
    expect(last).toMatchObject({ type: "plan.edited", data: { op: "reorder" } });
    expect((last?.data as { order: string[] } | undefined)?.order).toHaveLength(3);
    expect((await rejection(reorderRunTasks(ctx, run.id, { keys: ["c", "a"] }))).status).toBe(409);
    expect((await rejection(reorderRunTasks(ctx, run.id, { keys: ["a", "a"] }))).status).toBe(422);
    expect((await rejection(reorderRunTasks(ctx, run.id, { keys: ["q"] }))).status).toBe(422);
    const [audit] = await auditOf(team.org.id, "plan.edit");
    expect(audit?.metadata).toMatchObject({ op: "reorder" });
  });
});

describe("approveRunPlan", () => {
  it("approves a run started with plan review once, audited, with the event that resumes it", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team, { reviewPlan: true, status: "waiting_approval" });
    expect((await rejection(approveRunPlan(await ctxOf(team, team.viewer), run.id))).status).toBe(403);
    const ctx = await ctxOf(team);
    const approved = await approveRunPlan(ctx, run.id);
    expect(approved.runId).toBe(run.id);
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row?.planApprovedById).toBe(team.member.id);
    expect(row?.planApprovedAt).not.toBeNull();
    expect(sent.events).toMatchObject([{ name: "runs/plan.approved", data: { runId: run.id } }]);
    expect((await eventsOf(run.id)).at(-1)).toMatchObject({ type: "plan.approved" });
    expect(await auditOf(team.org.id, "plan.approve")).toHaveLength(1);
    expect((await rejection(approveRunPlan(ctx, run.id))).status).toBe(409);
    const plain = await seedRun(team);
    expect((await rejection(approveRunPlan(ctx, plain.run.id))).message).toContain(
      "not started with a plan review",
    );
  });

  it("start-run input accepts reviewPlan", () => {
    expect(
      startRunBodySchema.parse({
        goal: "Build the feedback portal",
        template: "feature-build",
        reviewPlan: "on",
      }).reviewPlan,
    ).toBe(true);
    expect(
      startRunBodySchema.parse({ goal: "Build the feedback portal", template: "feature-build" }).reviewPlan,
    ).toBe(false);
  });
});

describe("context", () => {
  it("updates a task's and a project's context, audited, bounded", async () => {
    const team = await createTeam();
    const { run, project } = await seedRun(team);
    const ctx = await ctxOf(team);
    await updateTaskContext(ctx, run.id, "c", { context: "Use the v2 API." });
    expect((await tasksOf(run.id)).find((t) => t.key === "c")?.context).toBe("Use the v2 API.");
    expect(await auditOf(team.org.id, "task.context_update")).toHaveLength(1);
    const long = await rejection(updateTaskContext(ctx, run.id, "c", { context: "x".repeat(20_001) }));
    expect(long.status).toBe(422);
    await updateProjectContext(ctx, project.slug, { context: "We use pnpm." });
    await updateProjectContext(ctx, project.id, { context: "We use npm." });
    const db = await getDb();
    const [p] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(p?.context).toBe("We use npm.");
    expect(await auditOf(team.org.id, "project.context_update")).toHaveLength(2);
    expect(
      (await rejection(updateProjectContext(await ctxOf(team, team.viewer), project.id, { context: "" })))
        .status,
    ).toBe(403);
    const other = await resolveOrgContext(team.outsider, team.otherOrg.slug, "runs.read", meta);
    expect((await rejection(updateProjectContext(other, project.id, { context: "" }))).status).toBe(404);
  });
});

describe("external tasks", () => {
  it("claims (same key again is fine, another key 409) and completes with a summary", async () => {
    const team = await createTeam();
    const { run } = await seedRun(team);
    const db = await getDb();
    await db
      .update(runTasks)
      .set({ worker: "external", status: "waiting_worker", context: "Prefer small commits." })
      .where(and(eq(runTasks.runId, run.id), eq(runTasks.key, "a")));
    const k1 = await mintApiKey(team.owner, team.org.slug, ["runs.read", "runs.start"], { name: "ide one" });
    const k2 = await mintApiKey(team.owner, team.org.slug, ["runs.read", "runs.start"], { name: "ide two" });
    const ctx1 = apiKeyContext(await authenticateApiKey(k1.secret, meta), meta);
    const ctx2 = apiKeyContext(await authenticateApiKey(k2.secret, meta), meta);
    expect((await listReadyExternalTasks(ctx2)).map((t) => t.key)).toEqual(["a"]);
    const claim = await claimExternalTask(ctx1, run.id, "a");
    expect(await listReadyExternalTasks(ctx2, { runId: run.id })).toEqual([]);
    expect((await listReadyExternalTasks(ctx1))[0]).toMatchObject({ key: "a", claimedByCaller: true });
    expect(claim.task).toMatchObject({ key: "a", status: "waiting_worker" });
    expect(claim.agent.slug).toBe("coder");
    expect(claim.agent.prompt.length).toBeGreaterThan(200);
    expect(claim.context).toContain("Prefer small commits.");
    expect(claim.branch).toBe("dm/1-x");
    expect(claim.cloneUrlPath).toMatch(new RegExp(`^/git/${team.org.slug}/proj-[a-z0-9]+\\.git$`));
    expect((await claimExternalTask(ctx1, run.id, "a")).task.key).toBe("a");
    expect((await rejection(claimExternalTask(ctx2, run.id, "a"))).status).toBe(409);
    expect((await rejection(claimExternalTask(ctx1, run.id, "b"))).message).toContain("our agents");
    expect(await auditOf(team.org.id, "task.claim")).toHaveLength(1);
    const bad = await rejection(
      completeExternalTask(ctx1, run.id, "a", { summary: "done", commit: "; rm -rf /" }),
    );
    expect(bad.status).toBe(422);
    expect(bad.fieldErrors?.commit).toBeDefined();
    const done = await completeExternalTask(ctx1, run.id, "a", { summary: "Implemented it." });
    expect(done).toMatchObject({ submission: 1, task: { externalSummary: "Implemented it." } });
    expect(sent.events.at(-1)).toMatchObject({
      name: "runs/run.nudged",
      data: { reason: "external_completed", submission: 1 },
    });
    expect((await rejection(completeExternalTask(ctx1, run.id, "a", { summary: "again" }))).status).toBe(409);
    expect(await auditOf(team.org.id, "task.complete")).toHaveLength(1);
    const viewer = await ctxOf(team, team.viewer);
    expect((await rejection(claimExternalTask(viewer, run.id, "a"))).status).toBe(403);
  });
});

import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { approvals, artifacts, auditLogs, orgAiSettings, runEvents, runs, runTasks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { cancelRun } from "./cancel-run";
import { decideApproval } from "./decide-approval";
import { getRunDetail, getRunEvents, listProjectRuns, listRecentRuns } from "./queries";
import { resumeRun } from "./resume-run";
import { retryTask } from "./retry-task";
import {
  decideApprovalBodySchema,
  resumeRunBodySchema,
  startRunBodySchema,
  startRunInputSchema,
} from "./schemas";
import { startRun } from "./start-run";

type Sent = { name: string; data: Record<string, unknown>; committed: boolean };
const sent = vi.hoisted(() => ({ events: [] as Sent[], fail: false }));

// The run function is R2's; here we check what is sent, and that the rows were committed first.
vi.mock("@/inngest/client", async () => {
  const { getDb } = await import("@/db");
  const { runs } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  return {
    inngest: {
      send: async (e: { name: string; data: Record<string, unknown> }) => {
        if (sent.fail) throw new Error("engine unavailable");
        const db = await getDb();
        const [row] = await db
          .select({ id: runs.id })
          .from(runs)
          .where(eq(runs.id, String(e.data.runId)));
        sent.events.push({ name: e.name, data: e.data, committed: Boolean(row) });
        return { ids: ["x"] };
      },
    },
  };
});

const meta = { ip: "198.51.100.7", userAgent: "vitest" };
type Team = Awaited<ReturnType<typeof createTeam>>;
const ctxOf = (t: Team, user = t.member, perm: Parameters<typeof resolveOrgContext>[2] = "runs.start") =>
  resolveOrgContext(user, t.org.slug, perm, meta);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function eventsOf(runId: string) {
  const db = await getDb();
  const rows = await db.select().from(runEvents).where(eq(runEvents.runId, runId)).orderBy(runEvents.seq);
  return rows.map(
    (r) =>
      ({ seq: r.seq, type: r.type, ...r.data }) as { seq: number; type: string } & Record<string, unknown>,
  );
}

async function auditOf(orgId: string, action: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.orgId, orgId), eq(auditLogs.action, action)));
}

const goal = "Describe the architecture of our billing system.";

beforeEach(() => {
  sent.events = [];
  sent.fail = false;
});

describe("startRun", () => {
  it("queues a run with the org's default budget, logs it, audits it and requests it after commit", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const db = await getDb();
    await db.insert(orgAiSettings).values({ orgId: t.org.id, defaultTokenBudget: 123_456 });
    const ctx = await ctxOf(t);
    const run = await startRun(
      ctx,
      project.slug,
      startRunBodySchema.parse({ goal, template: "technical-architecture-overview" }),
    );
    expect(run).toMatchObject({ status: "queued", tokenBudget: 123_456, usesDemoModel: true });
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({
      orgId: t.org.id,
      projectId: project.id,
      goal,
      templateSlug: "technical-architecture-overview",
      status: "queued",
      tokenBudget: 123_456,
      usesDemoModel: true,
      startedById: t.member.id,
    });
    expect(row?.modelLabel).toMatch(/Demo model/);
    expect(await eventsOf(run.id)).toEqual([{ seq: 1, type: "run.status", status: "queued" }]);
    const [audit] = await auditOf(t.org.id, "run.start");
    expect(audit).toMatchObject({ actorId: t.member.id, targetType: "run", targetId: run.id });
    expect(sent.events).toEqual([
      { name: "runs/run.requested", data: { orgId: t.org.id, runId: run.id }, committed: true },
    ]);
  });

  it("uses 200,000 tokens without settings and the budget given otherwise", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const ctx = await ctxOf(t);
    const a = await startRun(
      ctx,
      project.slug,
      startRunBodySchema.parse({ goal, template: "feature-build" }),
    );
    expect(a.tokenBudget).toBe(200_000);
    const b = await startRun(
      ctx,
      project.slug,
      startRunBodySchema.parse({ goal, template: "feature-build", tokenBudget: "5000" }),
    );
    expect(b.tokenBudget).toBe(5_000);
  });

  it("refuses archived projects and other organizations' projects, writing nothing", async () => {
    const t = await createTeam();
    const archived = await createProjectRow(t.org.id, { status: "archived" });
    const foreign = await createProjectRow(t.otherOrg.id);
    const ctx = await ctxOf(t);
    const input = startRunBodySchema.parse({ goal, template: "product-requirements" });
    const e1 = await rejection(startRun(ctx, archived.slug, input));
    expect(e1.code).toBe("conflict");
    expect(e1.message).toMatch(/archived/);
    expect((await rejection(startRun(ctx, foreign.slug, input))).code).toBe("not_found");
    const db = await getDb();
    expect(await db.select().from(runs).where(eq(runs.orgId, t.org.id))).toHaveLength(0);
    expect(await auditOf(t.org.id, "run.start")).toHaveLength(0);
    expect(sent.events).toHaveLength(0);
  });

  it("marks the run failed when it cannot be queued", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    sent.fail = true;
    const error = await rejection(
      startRun(await ctxOf(t), project.slug, startRunBodySchema.parse({ goal, template: "full-delivery" })),
    );
    expect(error.code).toBe("internal");
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.orgId, t.org.id));
    expect(row?.status).toBe("failed");
    expect((await eventsOf(row?.id ?? "")).map((e) => e.status)).toEqual(["queued", "failed"]);
  });
});

describe("run input", () => {
  const errors = (
    schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } },
    v: unknown,
  ) => {
    const r = schema.safeParse(v) as {
      success: boolean;
      error?: { issues: { path: unknown[]; message: string }[] };
    };
    return r.success
      ? {}
      : Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
  };

  it("explains every bad field", () => {
    expect(errors(startRunBodySchema, {})).toMatchObject({
      goal: "Describe the goal of the run.",
      template: "Choose one of the run templates.",
    });
    expect(errors(startRunBodySchema, { goal: "short", template: "full-delivery" }).goal).toMatch(
      /at least 10/,
    );
    expect(errors(startRunBodySchema, { goal: "x".repeat(4_001), template: "full-delivery" }).goal).toMatch(
      /4,000/,
    );
    expect(errors(startRunBodySchema, { goal, template: "nope" }).template).toMatch(/templates/);
    expect(
      errors(startRunBodySchema, { goal, template: "full-delivery", tokenBudget: 999 }).tokenBudget,
    ).toMatch(/at least 1,000/);
    expect(
      errors(startRunBodySchema, { goal, template: "full-delivery", tokenBudget: 5_000_001 }).tokenBudget,
    ).toMatch(/5,000,000/);
    expect(
      errors(startRunBodySchema, { goal, template: "full-delivery", tokenBudget: 1.5 }).tokenBudget,
    ).toMatch(/whole/);
    expect(
      startRunBodySchema.parse({ goal, template: "full-delivery", tokenBudget: "" }).tokenBudget,
    ).toBeUndefined();
    expect(
      errors(startRunInputSchema, { goal, template: "full-delivery", project: "Bad Slug" }).project,
    ).toBe("Choose a project.");
    expect(errors(decideApprovalBodySchema, { decision: "rejected" }).comment).toMatch(/required/);
    expect(errors(decideApprovalBodySchema, { decision: "rejected", comment: "   " }).comment).toMatch(
      /required/,
    );
    expect(
      errors(decideApprovalBodySchema, { decision: "approved", comment: "x".repeat(2_001) }).comment,
    ).toMatch(/2,000/);
    expect(decideApprovalBodySchema.parse({ decision: "approved" })).toEqual({
      decision: "approved",
      comment: "",
    });
    expect(errors(decideApprovalBodySchema, { decision: "maybe" }).decision).toMatch(/approve or reject/);
    expect(errors(resumeRunBodySchema, {}).tokenBudget).toBeDefined();
  });
});

async function runWithTasks(t: Team, status: (typeof runs.$inferSelect)["status"] = "running") {
  const project = await createProjectRow(t.org.id);
  const run = await createRunRow(t.org.id, project.id, { status, startedById: t.member.id });
  const db = await getDb();
  const tasks = await db
    .insert(runTasks)
    .values(
      (["done", "in_progress", "todo", "failed"] as const).map((s, i) => ({
        orgId: t.org.id,
        runId: run.id,
        key: `t${i}`,
        phaseKey: "p",
        title: `Task ${i}`,
        agentSlug: "system-architect",
        status: s,
        position: i,
      })),
    )
    .returning();
  return { project, run, tasks };
}

describe("cancelRun", () => {
  it("cancels the run and its open tasks, logs run.status last, audits and signals the function", async () => {
    const t = await createTeam();
    const { run, tasks } = await runWithTasks(t);
    await cancelRun(await ctxOf(t), run.id);
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row?.status).toBe("cancelled");
    expect(row?.finishedAt).not.toBeNull();
    const after = await db
      .select()
      .from(runTasks)
      .where(eq(runTasks.runId, run.id))
      .orderBy(runTasks.position);
    expect(after.map((x) => x.status)).toEqual(["done", "cancelled", "cancelled", "failed"]);
    const events = await eventsOf(run.id);
    expect(events.map((e) => [e.type, e.status])).toEqual([
      ["task.status", "cancelled"],
      ["task.status", "cancelled"],
      ["run.status", "cancelled"],
    ]);
    expect(events[0]).toMatchObject({ taskId: tasks[1]?.id });
    expect(await auditOf(t.org.id, "run.cancel")).toHaveLength(1);
    expect(sent.events).toEqual([
      { name: "runs/run.cancel-requested", data: { orgId: t.org.id, runId: run.id }, committed: true },
    ]);
    expect((await rejection(cancelRun(await ctxOf(t), run.id))).code).toBe("conflict");
  });

  it("is 404 for another organization's run and writes nothing", async () => {
    const t = await createTeam();
    const { run } = await runWithTasks(t);
    const other = await resolveOrgContext(t.outsider, t.otherOrg.slug, "runs.start", meta);
    expect((await rejection(cancelRun(other, run.id))).code).toBe("not_found");
    expect((await rejection(cancelRun(other, "not-a-uuid"))).code).toBe("not_found");
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row?.status).toBe("running");
    expect(await eventsOf(run.id)).toEqual([]);
    expect(sent.events).toHaveLength(0);
  });
});

describe("decideApproval", () => {
  async function withApproval(t: Team) {
    const { run } = await runWithTasks(t, "waiting_approval");
    const db = await getDb();
    const [approval] = await db
      .insert(approvals)
      .values({ orgId: t.org.id, runId: run.id, title: "Architecture gate", prompt: "Approve the design?" })
      .returning();
    if (!approval) throw new Error("no approval");
    return { run, approval };
  }

  it("approves a pending approval once, logs and audits it, then tells the function", async () => {
    const t = await createTeam();
    const { run, approval } = await withApproval(t);
    const ctx = await ctxOf(t, t.member, "runs.approve");
    await decideApproval(ctx, run.id, approval.id, { decision: "approved", comment: "" });
    const db = await getDb();
    const [row] = await db.select().from(approvals).where(eq(approvals.id, approval.id));
    expect(row).toMatchObject({ status: "approved", comment: null, decidedById: t.member.id });
    expect(await eventsOf(run.id)).toEqual([
      expect.objectContaining({
        type: "approval.resolved",
        approvalId: approval.id,
        decision: "approved",
        comment: null,
        decidedBy: "member user",
      }),
    ]);
    expect(await auditOf(t.org.id, "approval.decide")).toHaveLength(1);
    expect(sent.events).toEqual([
      {
        name: "runs/approval.decided",
        // Sent from the stored decision (an empty comment is stored as null).
        data: {
          orgId: t.org.id,
          runId: run.id,
          approvalId: approval.id,
          decision: "approved",
          comment: null,
        },
        committed: true,
      },
    ]);
    const again = await rejection(
      decideApproval(ctx, run.id, approval.id, { decision: "rejected", comment: "no" }),
    );
    expect(again.code).toBe("conflict");
    expect(sent.events).toHaveLength(1);
  });

  it("records a rejection's comment", async () => {
    const t = await createTeam();
    const { run, approval } = await withApproval(t);
    const ctx = await ctxOf(t, t.admin, "runs.approve");
    await decideApproval(ctx, run.id, approval.id, { decision: "rejected", comment: "Use Postgres." });
    const db = await getDb();
    const [row] = await db.select().from(approvals).where(eq(approvals.id, approval.id));
    expect(row).toMatchObject({ status: "rejected", comment: "Use Postgres." });
  });

  it("is 404 across runs and organizations; a viewer cannot approve", async () => {
    const t = await createTeam();
    const { run, approval } = await withApproval(t);
    const { run: otherRun } = await runWithTasks(t);
    const ctx = await ctxOf(t, t.member, "runs.approve");
    const input = { decision: "approved" as const, comment: "" };
    expect((await rejection(decideApproval(ctx, otherRun.id, approval.id, input))).code).toBe("not_found");
    const other = await resolveOrgContext(t.outsider, t.otherOrg.slug, "runs.approve", meta);
    expect((await rejection(decideApproval(other, run.id, approval.id, input))).code).toBe("not_found");
    expect((await rejection(ctxOf(t, t.viewer, "runs.approve"))).code).toBe("forbidden");
    const db = await getDb();
    const [row] = await db.select().from(approvals).where(eq(approvals.id, approval.id));
    expect(row?.status).toBe("pending");
    expect(sent.events).toHaveLength(0);
  });
});

describe("retryTask", () => {
  it("resets a failed task of a running run and asks for a retry", async () => {
    const t = await createTeam();
    const { run, tasks } = await runWithTasks(t);
    const failed = tasks[3];
    if (!failed) throw new Error("no task");
    const ctx = await ctxOf(t);
    const result = await retryTask(ctx, run.id, failed.id);
    expect(result.runRequeued).toBe(false);
    const db = await getDb();
    const [row] = await db.select().from(runTasks).where(eq(runTasks.id, failed.id));
    expect(row?.status).toBe("todo");
    expect(await eventsOf(run.id)).toEqual([
      expect.objectContaining({ type: "task.status", taskId: failed.id, status: "todo" }),
    ]);
    expect(sent.events).toEqual([
      {
        name: "runs/task.retry-requested",
        data: { orgId: t.org.id, runId: run.id, taskId: failed.id },
        committed: true,
      },
    ]);
    expect(await auditOf(t.org.id, "run.retry_task")).toHaveLength(1);
    // Only failed tasks.
    expect((await rejection(retryTask(ctx, run.id, failed.id))).code).toBe("conflict");
    expect((await rejection(retryTask(ctx, run.id, tasks[0]?.id ?? ""))).code).toBe("conflict");
  });

  it("queues a finished run again", async () => {
    const t = await createTeam();
    const { run, tasks } = await runWithTasks(t, "failed");
    await retryTask(await ctxOf(t), run.id, tasks[3]?.id ?? "");
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({ status: "queued", finishedAt: null });
    expect((await eventsOf(run.id)).map((e) => e.type)).toEqual(["task.status", "run.status"]);
    expect(sent.events.map((e) => e.name)).toEqual(["runs/run.requested"]);
  });

  it("is 404 for another organization's task", async () => {
    const t = await createTeam();
    const { run, tasks } = await runWithTasks(t);
    const other = await resolveOrgContext(t.outsider, t.otherOrg.slug, "runs.start", meta);
    expect((await rejection(retryTask(other, run.id, tasks[3]?.id ?? ""))).code).toBe("not_found");
    const { run: sibling } = await runWithTasks(t);
    expect((await rejection(retryTask(await ctxOf(t), sibling.id, tasks[3]?.id ?? ""))).code).toBe(
      "not_found",
    );
  });
});

describe("resumeRun", () => {
  it("resumes a budget-exhausted run with a larger budget", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const run = await createRunRow(t.org.id, project.id, {
      status: "budget_exhausted",
      tokenBudget: 10_000,
      inputTokens: 8_000,
      outputTokens: 2_500,
      finishedAt: new Date(),
    });
    const ctx = await ctxOf(t);
    const low = await rejection(resumeRun(ctx, run.id, { tokenBudget: 10_500 }));
    expect(low.code).toBe("validation");
    expect(low.fieldErrors?.tokenBudget?.[0]).toMatch(/10,500 tokens already used/);
    await resumeRun(ctx, run.id, { tokenBudget: 50_000 });
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({ status: "queued", tokenBudget: 50_000, finishedAt: null });
    expect((await eventsOf(run.id)).map((e) => e.status)).toEqual(["queued"]);
    expect(sent.events.map((e) => [e.name, e.committed])).toEqual([["runs/run.requested", true]]);
    const [audit] = await auditOf(t.org.id, "run.resume");
    expect(audit?.metadata).toMatchObject({ previousBudget: 10_000, tokenBudget: 50_000 });
    expect((await rejection(resumeRun(ctx, run.id, { tokenBudget: 60_000 }))).code).toBe("conflict");
  });
});

describe("run queries", () => {
  it("lists runs per project and org, and reads the detail with artifact versions", async () => {
    const t = await createTeam();
    const { project, run, tasks } = await runWithTasks(t);
    const db = await getDb();
    const key = crypto.randomUUID();
    await db.insert(artifacts).values([
      {
        id: key,
        orgId: t.org.id,
        projectId: project.id,
        runId: run.id,
        artifactKey: key,
        version: 1,
        kind: "technical-architecture-overview",
        title: "Architecture",
        content: "# v1",
      },
      {
        orgId: t.org.id,
        projectId: project.id,
        runId: run.id,
        artifactKey: key,
        version: 2,
        kind: "technical-architecture-overview",
        title: "Architecture",
        content: "# v2",
      },
    ]);
    const foreignProject = await createProjectRow(t.otherOrg.id);
    await createRunRow(t.otherOrg.id, foreignProject.id);

    const ctx = await ctxOf(t, t.viewer, "runs.read");
    const list = await listProjectRuns(ctx, project.slug);
    expect(list).toEqual([
      expect.objectContaining({
        id: run.id,
        tasksDone: 1,
        tasksTotal: 4,
        startedBy: "member user",
        projectSlug: project.slug,
      }),
    ]);
    expect((await listRecentRuns(ctx)).map((r) => r.id)).toEqual([run.id]);
    expect((await rejection(listProjectRuns(ctx, foreignProject.slug))).code).toBe("not_found");

    const detail = await getRunDetail(ctx, run.id);
    expect(detail.project.slug).toBe(project.slug);
    expect(detail.tasks.map((x) => x.id)).toEqual(tasks.map((x) => x.id));
    expect(detail.artifacts).toEqual([
      expect.objectContaining({
        id: key,
        versions: [
          expect.objectContaining({ version: 1, content: "# v1" }),
          expect.objectContaining({ version: 2, content: "# v2" }),
        ],
      }),
    ]);
    expect(await getRunEvents(ctx, run.id)).toEqual([]);

    const other = await resolveOrgContext(t.outsider, t.otherOrg.slug, "runs.read", meta);
    expect((await rejection(getRunDetail(other, run.id))).code).toBe("not_found");
    expect((await rejection(getRunEvents(other, run.id))).code).toBe("not_found");
  });
});

import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { approvals, runs, runTasks } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import {
  addRunTaskAction,
  approveRunPlanAction,
  cancelRunAction,
  decideApprovalAction,
  removeRunTaskAction,
  reorderRunTasksAction,
  resumeRunAction,
  retryTaskAction,
  startRunAction,
  updateRunTaskAction,
} from "./actions";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: [] }) } }));

type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;
beforeEach(async () => {
  t = await createTeam();
});

const goal = "Describe the architecture of the billing system.";

describe("run actions", () => {
  it("start a run from the form's input; field errors; viewer forbidden; another org not found", async () => {
    const project = await createProjectRow(t.org.id);
    actAs(t.member);
    const started = await startRunAction(t.org.slug, {
      project: project.slug,
      goal,
      template: "technical-architecture-overview",
    });
    expect(started.ok).toBe(true);
    const id = started.ok ? started.data.id : "";
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, id));
    expect(row).toMatchObject({
      orgId: t.org.id,
      projectId: project.id,
      status: "queued",
      tokenBudget: 200_000,
    });

    const bad = await startRunAction(t.org.slug, {
      project: project.slug,
      goal: "",
      template: "full-delivery",
      tokenBudget: 5,
    });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? null : Object.keys(bad.error.fieldErrors ?? {}).sort()).toEqual(["goal", "tokenBudget"]);

    actAs(t.viewer);
    const viewer = await startRunAction(t.org.slug, {
      project: project.slug,
      goal,
      template: "full-delivery",
    });
    expect(viewer.ok ? null : viewer.error.code).toBe("forbidden");
    actAs(t.outsider);
    const outsider = await startRunAction(t.otherOrg.slug, {
      project: project.slug,
      goal,
      template: "full-delivery",
    });
    expect(outsider.ok ? null : outsider.error.code).toBe("not_found");
    expect(await db.select().from(runs).where(eq(runs.projectId, project.id))).toHaveLength(1);
  });

  it("decide, retry, cancel and resume through the RunView's inputs", async () => {
    const project = await createProjectRow(t.org.id);
    const run = await createRunRow(t.org.id, project.id, { status: "waiting_approval" });
    const db = await getDb();
    const [approval] = await db
      .insert(approvals)
      .values({ orgId: t.org.id, runId: run.id, title: "Gate", prompt: "OK?" })
      .returning();
    const [task] = await db
      .insert(runTasks)
      .values({
        orgId: t.org.id,
        runId: run.id,
        key: "a",
        phaseKey: "p",
        title: "A",
        agentSlug: "coder",
        status: "failed",
      })
      .returning();
    const input = { runId: run.id, approvalId: approval?.id, decision: "approved", comment: "" };

    actAs(t.viewer);
    expect((await decideApprovalAction(t.org.slug, input)).ok).toBe(false);
    actAs(t.outsider);
    const foreign = await decideApprovalAction(t.otherOrg.slug, input);
    expect(foreign.ok ? null : foreign.error.code).toBe("not_found");
    actAs(t.member);
    const rejectWithout = await decideApprovalAction(t.org.slug, { ...input, decision: "rejected" });
    expect(rejectWithout.ok ? null : rejectWithout.error.fieldErrors?.comment).toBeDefined();
    expect((await decideApprovalAction(t.org.slug, input)).ok).toBe(true);
    const [decided] = await db
      .select()
      .from(approvals)
      .where(eq(approvals.id, approval?.id ?? ""));
    expect(decided?.status).toBe("approved");

    expect((await retryTaskAction(t.org.slug, { runId: run.id, taskId: task?.id })).ok).toBe(true);
    expect((await cancelRunAction(t.org.slug, { runId: run.id })).ok).toBe(true);
    const [cancelled] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(cancelled?.status).toBe("cancelled");
    const resume = await resumeRunAction(t.org.slug, { runId: run.id, tokenBudget: 300_000 });
    expect(resume.ok ? null : resume.error.code).toBe("conflict");
    actAs(t.outsider);
    const foreignCancel = await cancelRunAction(t.otherOrg.slug, { runId: run.id });
    expect(foreignCancel.ok ? null : foreignCancel.error.code).toBe("not_found");
  });
});

describe("plan-edit actions", () => {
  it("add, update, re-order and remove tasks and approve a reviewed plan; errors by field; viewer forbidden", async () => {
    const project = await createProjectRow(t.org.id);
    actAs(t.member);
    const started = await startRunAction(t.org.slug, {
      project: project.slug,
      goal,
      template: "technical-architecture-overview",
      reviewPlan: true,
    });
    const runId = started.ok ? started.data.id : "";
    const db = await getDb();
    expect((await db.select().from(runs).where(eq(runs.id, runId)))[0]?.reviewPlan).toBe(true);
    await db.update(runs).set({ status: "waiting_approval" }).where(eq(runs.id, runId));
    await db.insert(runTasks).values({
      orgId: t.org.id,
      runId,
      key: "design",
      phaseKey: "design",
      title: "Design it",
      description: "Design the system.",
      agentSlug: "system-architect",
      acceptanceCriteria: ["Has a diagram"],
    });
    const task = {
      title: "Review the design",
      description: "Check the design for risks.",
      agentSlug: "security-auditor",
      phaseKey: "design",
      dependsOn: ["design"],
      acceptanceCriteria: ["Lists the risks"],
      priority: "medium",
      worker: "agent",
    };
    const added = await addRunTaskAction(t.org.slug, { runId, input: task });
    expect(added.ok).toBe(true);
    const bad = await addRunTaskAction(t.org.slug, { runId, input: { ...task, agentSlug: "nobody" } });
    expect(bad.ok ? null : bad.error.fieldErrors?.agentSlug?.[0]).toContain('unknown agent "nobody"');
    const cycle = await updateRunTaskAction(t.org.slug, {
      runId,
      taskKey: "design",
      input: { dependsOn: ["review-the-design"] },
    });
    expect(cycle.ok ? null : cycle.error.code).toBe("validation");
    const moved = await reorderRunTasksAction(t.org.slug, {
      runId,
      input: { keys: ["review-the-design", "design"] },
    });
    expect(moved.ok).toBe(true);
    expect((await removeRunTaskAction(t.org.slug, { runId, taskKey: "review-the-design" })).ok).toBe(true);
    actAs(t.viewer);
    const viewer = await approveRunPlanAction(t.org.slug, { runId });
    expect(viewer.ok ? null : viewer.error.code).toBe("forbidden");
    actAs(t.member);
    expect((await approveRunPlanAction(t.org.slug, { runId })).ok).toBe(true);
    expect((await db.select().from(runs).where(eq(runs.id, runId)))[0]?.planApprovedById).toBe(t.member.id);
  });
});

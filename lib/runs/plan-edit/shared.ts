import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { runEvents, runs, runTasks } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { runNudged } from "@/inngest/events";
import { ORCHESTRATOR_SLUG, REVIEWER_SLUG } from "@/lib/agents/catalog";
import { type CatalogAgent, loadAgentCatalog } from "@/lib/agents/org-agents";
import { requireScope } from "@/lib/api-keys/key-context";
import { AppError, type FieldErrors, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { appendRunEvents } from "@/lib/runs/event-log";
import { FINAL_RUN_STATUSES, type RunEvent } from "@/lib/runs/events";
import { taskSnapshot } from "@/lib/runs/execute/tools";
import { type Plan, type PlanError, validatePlan } from "@/lib/runs/plan";
import { findRunRow } from "@/lib/runs/queries";

export type RunRow = typeof runs.$inferSelect;
export type TaskRow = typeof runTasks.$inferSelect;
export type PlanPhaseRef = { key: string; title: string };

/** What a plan edit works on: the locked run, its tasks in plan order, and its phases. */
export type EditSession = {
  tx: Tx;
  run: RunRow;
  tasks: TaskRow[];
  phases: PlanPhaseRef[];
  scope: { orgId: string; runId: string };
};

/** Every plan edit needs this permission (viewers and keys without it get 403). */
export const PLAN_EDIT_PERMISSION = "runs.start" as const;

/**
 * Runs one plan edit in a transaction that holds the run: first the run's scheduling lock (the one
 * `scheduleRound` takes, so a task is never edited while the run picks it), then the run row. Two
 * edits of one run are serialized, so each one validates the plan the other left — two concurrent
 * edits cannot make a cycle together. A finished run, or one still planning, refuses (409).
 */
export async function withPlanEdit<T>(
  ctx: OrgContext,
  runId: string,
  fn: (session: EditSession) => Promise<T>,
  opts: { permission?: Parameters<typeof requireScope>[1]; allowFinished?: boolean } = {},
): Promise<T> {
  requireScope(ctx, opts.permission ?? PLAN_EDIT_PERMISSION);
  return ctx.tx(async (tx) => {
    const found = await findRunRow(tx, ctx.org.id, runId);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`schedule:${found.id}`}))`);
    const run = await findRunRow(tx, ctx.org.id, found.id, { forUpdate: true });
    if (!opts.allowFinished && FINAL_RUN_STATUSES.includes(run.status)) {
      throw new AppError(
        "conflict",
        `This run has ${finishedWord(run.status)}; its plan can no longer change.`,
      );
    }
    const scope = { orgId: ctx.org.id, runId: run.id };
    const tasks = await tx
      .select()
      .from(runTasks)
      .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.runId, run.id)))
      .orderBy(runTasks.position, runTasks.key);
    if (!tasks.length && !opts.allowFinished) {
      throw new AppError(
        "conflict",
        "The orchestrator is still planning this run; change the plan once its tasks are on the board.",
      );
    }
    const phases = await currentPhases(tx, scope, tasks);
    return fn({ tx, run, tasks, phases, scope });
  });
}

function finishedWord(status: RunRow["status"]): string {
  return status === "completed"
    ? "completed"
    : status === "cancelled"
      ? "been cancelled"
      : status === "budget_exhausted"
        ? "run out of budget"
        : "failed";
}

/** The run's phases: the last ones an event announced, then any a task uses that it did not. */
async function currentPhases(tx: Tx, scope: EditSession["scope"], tasks: TaskRow[]): Promise<PlanPhaseRef[]> {
  const [row] = await tx
    .select({ data: runEvents.data })
    .from(runEvents)
    .where(
      and(
        eq(runEvents.orgId, scope.orgId),
        eq(runEvents.runId, scope.runId),
        inArray(runEvents.type, ["run.plan", "plan.edited"]),
        sql`${runEvents.data} ? 'phases'`,
      ),
    )
    .orderBy(desc(runEvents.seq))
    .limit(1);
  const phases = [
    ...(((row?.data as { phases?: PlanPhaseRef[] } | undefined)?.phases ?? []) as PlanPhaseRef[]),
  ];
  for (const t of tasks) {
    if (!phases.some((p) => p.key === t.phaseKey)) phases.push({ key: t.phaseKey, title: t.phaseKey });
  }
  return phases;
}

/** A task nobody has started: still `todo` and never dispatched (no start time, no attempt). */
export function isUnstarted(task: TaskRow): boolean {
  return task.status === "todo" && task.startedAt === null && task.attempts === 0;
}

export function findTask(session: EditSession, taskKey: string): TaskRow {
  const task = session.tasks.find((t) => t.key === taskKey);
  if (!task) throw notFound("Task not found.");
  return task;
}

export function assertUnstarted(task: TaskRow): void {
  if (!isUnstarted(task)) {
    const what =
      task.status === "done"
        ? "is done"
        : task.status === "todo"
          ? "has already been worked on"
          : `has already started (${task.status.replace("_", " ")})`;
    throw new AppError(
      "conflict",
      `Task "${task.key}" ${what}; only tasks that have not started can be changed.`,
    );
  }
}

/** Agents a task can be given: the organization's catalog without the orchestrator and the reviewer. */
export async function assignableAgents(tx: Tx, orgId: string): Promise<Map<string, CatalogAgent>> {
  const catalog = await loadAgentCatalog(tx, orgId);
  catalog.delete(ORCHESTRATOR_SLUG);
  catalog.delete(REVIEWER_SLUG);
  return catalog;
}

/** The task fields the plan validation reads, as the plan would be after the edit. */
export type PlanTaskDraft = Pick<
  TaskRow,
  "key" | "title" | "description" | "agentSlug" | "phaseKey" | "dependsOn" | "acceptanceCriteria" | "priority"
> & { needsApproval: boolean; position: number };

const FIELD_OF: Record<string, string> = {
  agent: "agentSlug",
  dependsOn: "dependsOn",
  acceptanceCriteria: "acceptanceCriteria",
  title: "title",
  description: "description",
  key: "key",
};

/**
 * The orchestrator's validation (`validatePlan`: agents, dependencies, cycles, limits) on the plan
 * as it would be after the edit. Only problems the edit is part of are reported (a task it
 * changed, a cycle through one, the task limit), as a 422 with a message per field.
 */
export function assertValidPlan(
  drafts: PlanTaskDraft[],
  changedKeys: string[],
  agents: Iterable<string>,
  phases: PlanPhaseRef[],
): void {
  const ordered = [...drafts].sort((a, b) => a.position - b.position);
  const phaseOrder = [...phases.map((p) => p.key)];
  for (const t of ordered) if (!phaseOrder.includes(t.phaseKey)) phaseOrder.push(t.phaseKey);
  const plan: Plan = {
    summary: "",
    phases: phaseOrder
      .map((key) => ({
        key,
        name: phases.find((p) => p.key === key)?.title ?? key,
        tasks: ordered
          .filter((t) => t.phaseKey === key)
          .map((t) => ({
            key: t.key,
            title: t.title,
            description: t.description,
            agent: t.agentSlug,
            dependsOn: [...t.dependsOn],
            priority: t.priority,
            acceptanceCriteria: [...t.acceptanceCriteria],
            needsApproval: t.needsApproval,
          })),
      }))
      .filter((p) => p.tasks.length > 0),
  };
  const result = validatePlan(plan, agents);
  if (result.ok) return;
  const changed = new Set(changedKeys);
  const relevant = result.errors.filter(
    (e) =>
      e.code === "too_many_tasks" ||
      (e.code === "dependency_cycle"
        ? (e.cycle ?? []).some((k) => changed.has(k))
        : changed.has(e.taskKey ?? "")),
  );
  if (!relevant.length) return;
  throw planValidationError(relevant);
}

function fieldOf(error: PlanError): string {
  if (error.code === "dependency_cycle") return "dependsOn";
  if (error.code === "too_many_tasks") return "_";
  const last = error.path.split(".").at(-1) ?? "";
  return FIELD_OF[last.replace(/\[\d+\]$/, "")] ?? "_";
}

export function planValidationError(errors: PlanError[]): AppError {
  const fieldErrors: FieldErrors = {};
  for (const e of errors) {
    const field = fieldOf(e);
    fieldErrors[field] = [...(fieldErrors[field] ?? []), e.message];
  }
  const first = errors[0]?.message ?? "The plan is invalid.";
  return new AppError("validation", errors.length === 1 ? first : `The plan is invalid: ${first}`, {
    fieldErrors,
  });
}

/** Who did it, as viewers see it. */
export function actorName(ctx: OrgContext): string {
  if (ctx.apiKey) return `API key ${ctx.apiKey.name}`;
  return ctx.user.name || ctx.user.email;
}

/** Streams the change to viewers (`plan.edited`) and audits it (`plan.edit`). */
export async function recordPlanEdit(
  ctx: OrgContext,
  session: EditSession,
  edit: {
    op: "add" | "update" | "remove" | "reorder";
    taskKey?: string;
    tasks: TaskRow[];
    removed?: string[];
    order?: string[];
    phases?: PlanPhaseRef[];
    metadata?: Record<string, unknown>;
  },
): Promise<void> {
  const event: RunEvent = {
    type: "plan.edited",
    op: edit.op,
    tasks: edit.tasks.map(taskSnapshot),
    ...(edit.removed ? { removed: edit.removed } : {}),
    ...(edit.order ? { order: edit.order } : {}),
    ...(edit.phases ? { phases: edit.phases } : {}),
    by: actorName(ctx),
  };
  await appendRunEvents(session.tx, session.scope, [event]);
  await ctx.audit(session.tx, {
    action: "plan.edit",
    target: { type: "run", id: session.run.id },
    metadata: { op: edit.op, ...(edit.taskKey ? { task: edit.taskKey } : {}), ...edit.metadata },
  });
}

/** Pins the version of an agent the edit brought into the run, as `storePlan` does for the plan's. */
export async function pinAgent(
  session: EditSession,
  agents: Map<string, CatalogAgent>,
  slug: string,
): Promise<void> {
  if (session.run.agentVersions[slug] !== undefined) return;
  const pins = { ...session.run.agentVersions, [slug]: agents.get(slug)?.version ?? 0 };
  await session.tx
    .update(runs)
    .set({ agentVersions: pins })
    .where(and(eq(runs.orgId, session.scope.orgId), eq(runs.id, session.run.id)));
  session.run = { ...session.run, agentVersions: pins };
}

export const asDraft = (t: TaskRow): PlanTaskDraft => ({
  key: t.key,
  title: t.title,
  description: t.description,
  agentSlug: t.agentSlug,
  phaseKey: t.phaseKey,
  dependsOn: t.dependsOn,
  acceptanceCriteria: t.acceptanceCriteria,
  priority: t.priority,
  needsApproval: t.needsApproval,
  position: t.position,
});

/**
 * After an edit commits: tells a run waiting on external workers that its plan changed, so a task
 * that became ready starts now rather than at the wait's next poll. Best effort (the poll sees it).
 */
export async function nudgeRun(scope: { orgId: string; runId: string }): Promise<void> {
  await inngest
    .send(runNudged.create({ ...scope, reason: "plan_edited" }, { id: `plan-edited:${crypto.randomUUID()}` }))
    .catch((error) => console.error("[plan-edit] nudge not sent; the run's poll sees the change", error));
}

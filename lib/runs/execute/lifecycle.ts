import type { ModelMessage } from "ai";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { runs, runTasks } from "@/db/schema";
import { ORCHESTRATOR_SLUG, REVIEWER_SLUG } from "@/lib/agents/catalog";
import { loadAgentCatalog } from "@/lib/agents/org-agents";
import { getOrgRunSettings } from "@/lib/ai/org-settings";
import { saveRunOutcome } from "@/lib/knowledge/save-run-outcome";
import { assembleContext } from "@/lib/runs/context";
import { appendRunEvents } from "@/lib/runs/event-log";
import { FINAL_RUN_STATUSES, type RunStatus } from "@/lib/runs/events";
import { once, onceIn, type StepKey } from "./once";
import {
  agentOf,
  baseContext,
  inTenant,
  latestArtifacts,
  loadEnvironment,
  loadRun,
  loadTasks,
  toRef,
} from "./state";
import type { RunScope } from "./types";

export type Admission =
  | { kind: "skip"; reason: string }
  | { kind: "wait"; active: number; limit: number }
  | { kind: "admitted"; hasTasks: boolean };

/** Statuses that hold one of the organization's run slots (a run waiting on a person does not). */
const ACTIVE: RunStatus[] = ["planning", "running"];
const OPEN_TASK_STATUSES = ["todo", "in_progress", "review", "blocked", "waiting_worker"] as const;

/**
 * Starts (or continues) a run if the organization has a free slot (org_ai_settings.maxConcurrentRuns).
 * Serialized per organization with a transaction-level advisory lock so two runs cannot both take
 * the last slot. A finished run is skipped unless there is work left: a task reset for retry, or a
 * budget raised after it ran out.
 */
export async function admitRun(scope: RunScope, key: StepKey): Promise<Admission> {
  const { maxConcurrentRuns } = await getOrgRunSettings(scope.orgId);
  return inTenant(scope, async (outer) => {
    await outer.execute(sql`select pg_advisory_xact_lock(hashtext(${`runs:${scope.orgId}`}))`);
    return onceIn(outer, scope, key, (tx) => admitIn(tx, scope, maxConcurrentRuns));
  });
}

async function admitIn(tx: Tx, scope: RunScope, maxConcurrentRuns: number): Promise<Admission> {
  {
    const run = await loadRun(tx, scope);
    if (!run) return { kind: "skip", reason: "The run does not exist in this organization." };
    if (run.status === "cancelled") return { kind: "skip", reason: "The run was cancelled." };
    const tasks = await loadTasks(tx, scope);
    const openTasks = tasks.filter((t) =>
      (OPEN_TASK_STATUSES as readonly string[]).includes(t.status),
    ).length;
    const spent = run.inputTokens + run.outputTokens >= run.tokenBudget;
    if (run.status === "budget_exhausted" && spent)
      return { kind: "skip", reason: "The budget is still spent." };
    if ((run.status === "completed" || run.status === "failed") && openTasks === 0) {
      return {
        kind: "skip",
        reason: `The run already ${run.status === "completed" ? "completed" : "failed"}.`,
      };
    }
    if (!ACTIVE.includes(run.status)) {
      const [{ active } = { active: 0 }] = await tx
        .select({ active: sql<number>`count(*)::int` })
        .from(runs)
        .where(and(eq(runs.orgId, scope.orgId), inArray(runs.status, ACTIVE), ne(runs.id, scope.runId)));
      if (Number(active) >= maxConcurrentRuns)
        return { kind: "wait", active: Number(active), limit: maxConcurrentRuns };
    }
    // Tasks left mid-flight by an interrupted execution start over.
    const interrupted = tasks.filter((t) => t.status === "in_progress" || t.status === "review");
    if (interrupted.length) {
      await tx
        .update(runTasks)
        .set({ status: "todo", statusReason: "Interrupted; starting again." })
        .where(
          and(
            eq(runTasks.orgId, scope.orgId),
            inArray(
              runTasks.id,
              interrupted.map((t) => t.id),
            ),
          ),
        );
      await appendRunEvents(
        tx,
        scope,
        interrupted.map((t) => ({
          type: "task.status" as const,
          taskId: t.id,
          status: "todo" as const,
          reason: "Interrupted; starting again.",
        })),
      );
    }
    const status: RunStatus = tasks.length ? "running" : "planning";
    // The planner and the reviewer are pinned from the start (the task agents when the plan is stored).
    const pins = { ...run.agentVersions };
    if (pins[ORCHESTRATOR_SLUG] === undefined || pins[REVIEWER_SLUG] === undefined) {
      const catalog = await loadAgentCatalog(tx, scope.orgId);
      for (const slug of [ORCHESTRATOR_SLUG, REVIEWER_SLUG]) pins[slug] ??= catalog.get(slug)?.version ?? 0;
    }
    await tx
      .update(runs)
      .set({
        status,
        statusReason: null,
        finishedAt: null,
        startedAt: run.startedAt ?? new Date(),
        agentVersions: pins,
      })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    if (run.status !== status) await appendRunEvents(tx, scope, [{ type: "run.status", status }]);
    return { kind: "admitted", hasTasks: tasks.length > 0 };
  }
}

/** Marks the run as waiting on a person, which frees its slot; `admitRun` takes one again after. */
export async function setRunWaiting(scope: RunScope): Promise<void> {
  await inTenant(scope, async (tx) => {
    const changed = await tx
      .update(runs)
      .set({ status: "waiting_approval" })
      .where(
        and(
          eq(runs.orgId, scope.orgId),
          eq(runs.id, scope.runId),
          inArray(runs.status, ["running", "planning"]),
        ),
      )
      .returning({ id: runs.id });
    if (changed.length)
      await appendRunEvents(tx, scope, [{ type: "run.status", status: "waiting_approval" }]);
  });
}

/** The prompt of the orchestrator's closing `run_summary` artifact. */
export async function prepareSummary(
  scope: RunScope,
): Promise<{ instructions: string; messages: ModelMessage[] }> {
  const env = await loadEnvironment(scope);
  const { tasks, arts } = await inTenant(scope, async (tx) => ({
    tasks: await loadTasks(tx, scope),
    arts: await latestArtifacts(tx, scope),
  }));
  const orchestrator = agentOf(env, ORCHESTRATOR_SLUG).definition;
  const keyOf = new Map(tasks.map((t) => [t.id, t.key]));
  const ctx = assembleContext({
    purpose: "summary",
    agent: orchestrator,
    ...baseContext(env, tasks),
    artifacts: arts.filter((a) => a.kind !== "run_summary").map((a) => toRef(a, keyOf.get(a.taskId ?? ""))),
  });
  return { instructions: ctx.instructions, messages: ctx.messages };
}

/** Links the summary the orchestrator wrote to the run. */
export async function storeSummary(
  scope: RunScope,
  artifactId: string | null,
  key: StepKey,
): Promise<string | null> {
  return once(scope, key, async (tx) => {
    if (artifactId) {
      await tx
        .update(runs)
        .set({ summaryArtifactId: artifactId })
        .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    }
    return artifactId;
  });
}

/**
 * Ends the run: final status, reason and finish time, the agent versions it used, and the
 * `run.status` event written last. A run cancelled meanwhile keeps its cancelled status.
 */
export async function finishRun(
  scope: RunScope,
  status: RunStatus,
  reason: string | undefined,
  key: StepKey,
): Promise<RunStatus> {
  const env = await loadEnvironment(scope);
  return once(scope, key, async (tx) => {
    const run = await loadRun(tx, scope);
    if (!run) return status;
    if (run.status === "cancelled") return "cancelled";
    const tasks = await tx
      .select({ agentSlug: runTasks.agentSlug })
      .from(runTasks)
      .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.runId, scope.runId)));
    const used: Record<string, number> = { ...run.agentVersions };
    for (const slug of [ORCHESTRATOR_SLUG, REVIEWER_SLUG, ...tasks.map((t) => t.agentSlug)]) {
      used[slug] ??= env.catalog.get(slug)?.version ?? 0;
    }
    await tx
      .update(runs)
      .set({ status, statusReason: reason ?? null, finishedAt: new Date(), agentVersions: used })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    await appendRunEvents(tx, scope, [{ type: "run.status", status, ...(reason ? { reason } : {}) }]);
    await keepOutcome(tx, scope);
    return status;
  });
}

/**
 * The finished run's outcome goes to the project's knowledge with the final status (once, with
 * the step). In a savepoint: knowledge that cannot be written never keeps a run from finishing.
 */
async function keepOutcome(tx: Tx, scope: RunScope): Promise<void> {
  try {
    await tx.transaction((sp) => saveRunOutcome(sp, scope));
  } catch (error) {
    console.error("[runs] the run outcome was not kept in the knowledge base", error);
  }
}

/**
 * The failure handler's verb: a run whose function failed for good ends `failed` with a reason a
 * person can read, its unfinished work marked failed, freeing its slot. A run that already
 * reached a final status keeps it.
 */
export async function failRun(scope: RunScope, reason: string, key: StepKey): Promise<RunStatus | null> {
  return once(scope, key, async (tx) => {
    const run = await loadRun(tx, scope);
    if (!run || FINAL_RUN_STATUSES.includes(run.status)) return null;
    const stopped = await tx
      .update(runTasks)
      .set({ status: "failed", statusReason: reason, finishedAt: new Date() })
      .where(
        and(
          eq(runTasks.orgId, scope.orgId),
          eq(runTasks.runId, scope.runId),
          inArray(runTasks.status, ["in_progress", "review"]),
        ),
      )
      .returning({ id: runTasks.id });
    await tx
      .update(runs)
      .set({ status: "failed", statusReason: reason, finishedAt: new Date() })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    await appendRunEvents(tx, scope, [
      ...stopped.map((t) => ({
        type: "task.status" as const,
        taskId: t.id,
        status: "failed" as const,
        reason,
      })),
      { type: "run.status", status: "failed", reason },
    ]);
    await keepOutcome(tx, scope);
    return "failed";
  });
}

import { notFound } from "@/lib/errors";
import type { RunDetail, RunTaskInfo } from "@/lib/runs/queries";
import { compareTasks } from "@/lib/runs/schedule";
import { getRunTemplate } from "@/lib/runs/templates";

/** What the MCP tools answer about runs and tasks: plain JSON, shaped for an IDE agent. */

export function findTask(detail: RunDetail, ref: string): RunTaskInfo {
  const task = detail.tasks.find((t) => t.key === ref || t.id === ref);
  if (!task) throw notFound("Task not found.");
  return task;
}

export function taskSummary(t: RunTaskInfo) {
  return {
    id: t.id,
    key: t.key,
    title: t.title,
    status: t.status,
    statusReason: t.statusReason,
    phaseKey: t.phaseKey,
    agentSlug: t.agentSlug,
    priority: t.priority,
    worker: t.worker,
    dependsOn: t.dependsOn,
    claimed: t.claimedAt !== null,
    handedIn: t.externalSummary !== null,
  };
}

export function taskDetail(detail: RunDetail, t: RunTaskInfo) {
  const byKey = new Map(detail.tasks.map((x) => [x.key, x]));
  return {
    ...taskSummary(t),
    description: t.description,
    acceptanceCriteria: t.acceptanceCriteria,
    context: t.context,
    needsApproval: t.needsApproval,
    attempts: t.attempts,
    commitSha: t.commitSha,
    claimedAt: t.claimedAt?.toISOString() ?? null,
    externalCommit: t.externalCommit,
    externalSummary: t.externalSummary,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    dependencies: t.dependsOn.map((key) => {
      const dep = byKey.get(key);
      return { key, title: dep?.title ?? null, status: dep?.status ?? "missing" };
    }),
    artifacts: detail.artifacts
      .filter((a) => a.taskId === t.id)
      .map((a) => ({ id: a.id, kind: a.kind, title: a.title, version: a.versions.at(-1)?.version ?? 1 })),
  };
}

export function runSummary(detail: RunDetail) {
  const { run, project } = detail;
  return {
    id: run.id,
    project: { slug: project.slug, name: project.name },
    goal: run.goal,
    template: run.templateSlug,
    status: run.status,
    statusReason: run.statusReason,
    branch: run.branch,
    headCommit: run.headCommit,
    pullRequestUrl: run.pullRequestUrl,
    usesDemoModel: run.usesDemoModel,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

const OPEN = new Set(["todo", "in_progress", "blocked", "review", "waiting_worker", "failed"]);

/** A run's status at a glance: its phase, task counts, cost and the approvals waiting on a person. */
export function runStatus(detail: RunDetail) {
  const { run, tasks } = detail;
  const byStatus: Record<string, number> = {};
  for (const t of tasks) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  const current = tasks.find((t) => OPEN.has(t.status));
  const phaseName = current
    ? (getRunTemplate(run.templateSlug)?.phases.find((p) => p.key === current.phaseKey)?.name ??
      current.phaseKey)
    : null;
  const keyOf = new Map(tasks.map((t) => [t.id, t.key]));
  return {
    run: runSummary(detail),
    phase: current ? { key: current.phaseKey, name: phaseName } : null,
    tasks: {
      total: tasks.filter((t) => t.status !== "cancelled").length,
      done: byStatus.done ?? 0,
      byStatus,
      /** External-worker tasks the run waits on: unclaimed, or claimed and being worked. */
      waitingForWorker: tasks.filter((t) => t.status === "waiting_worker" && t.claimedAt === null).length,
      claimedByWorker: tasks.filter((t) => t.status === "waiting_worker" && t.claimedAt !== null).length,
    },
    cost: {
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      tokenBudget: run.tokenBudget,
      costUsd: run.costUsd,
    },
    pendingApprovals: detail.approvals
      .filter((a) => a.status === "pending")
      .map((a) => ({
        id: a.id,
        title: a.title,
        prompt: a.prompt,
        task: a.taskId ? (keyOf.get(a.taskId) ?? null) : null,
        createdAt: a.createdAt,
        expiresAt: a.expiresAt,
      })),
  };
}

/**
 * Tasks ready to be worked: an external worker's task the run is waiting on (`waiting_worker`)
 * that nobody has claimed, or that `claimant` (the caller's API key) claimed and has not handed in
 * yet; or an unclaimed `todo` task whose dependencies are all done.
 */
export function readyTasks(detail: RunDetail, claimant: string | null = null): RunTaskInfo[] {
  const status = new Map(detail.tasks.map((t) => [t.key, t.status]));
  return detail.tasks.filter((t) =>
    t.status === "waiting_worker"
      ? t.claimedAt === null ||
        (claimant !== null && t.claimedByApiKeyId === claimant && t.externalSummary === null)
      : t.claimedAt === null && t.status === "todo" && t.dependsOn.every((k) => status.get(k) === "done"),
  );
}

/** Yours to continue, then waiting on an external worker, then an external worker's soon, then our agents'. */
const readiness = (t: RunTaskInfo) =>
  t.claimedAt !== null ? 3 : t.status === "waiting_worker" ? 2 : t.worker === "external" ? 1 : 0;

/**
 * The best ready task across runs: a task the caller claimed and has not handed in, then tasks
 * waiting for an external worker (an IDE agent), then by priority and plan order, earlier runs
 * first. `externalOnly` leaves out our agents' tasks.
 */
export function nextReadyTask(
  details: readonly RunDetail[],
  opts: { externalOnly?: boolean; claimant?: string | null } = {},
): { detail: RunDetail; task: RunTaskInfo } | null {
  const candidates = details.flatMap((detail, runIndex) =>
    readyTasks(detail, opts.claimant ?? null)
      .filter((task) => !opts.externalOnly || task.worker === "external")
      .map((task) => ({ detail, task, runIndex })),
  );
  candidates.sort(
    (a, b) =>
      readiness(b.task) - readiness(a.task) ||
      compareTasks({ ...a.task, order: a.task.position }, { ...b.task, order: b.task.position }) ||
      a.runIndex - b.runIndex,
  );
  const best = candidates[0];
  return best ? { detail: best.detail, task: best.task } : null;
}

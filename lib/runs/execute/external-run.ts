import { and, eq, sql } from "drizzle-orm";
import { artifacts, runTasks } from "@/db/schema";
import { ARTIFACT_KINDS, type ArtifactKind } from "@/lib/agents/artifact-kinds";
import { gitBare } from "@/lib/repos/git";
import { branchRef, taskWorkRef } from "@/lib/repos/workspace/refs";
import { resolveCommit, treeOf } from "@/lib/repos/workspace/working-copy";
import { appendRunEvents } from "@/lib/runs/event-log";
import { schedule } from "@/lib/runs/schedule";
import { derivedId, once, type StepKey, storedResult } from "./once";
import { runRepository } from "./repo-work";
import { agentOf, inTenant, loadEnvironment, loadTask, loadTasks } from "./state";
import type { RunScope } from "./types";

/**
 * The run's side of external workers: a task with `worker: 'external'` is handed out (status
 * `waiting_worker`) instead of dispatched to our agents; the run waits on it durably; once the
 * worker hands it in (`completeExternalTask`), its work goes through the same gate as an agent's —
 * the project's checks on its commit and the reviewer against its acceptance criteria — and a
 * rejection hands it back to the worker with the feedback in its context.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where the run branch stood when the task was handed out: the gate diffs the worker's work from it. */
export function externalStartRef(runId: string, taskId: string): string {
  if (!UUID.test(runId) || !UUID.test(taskId)) throw new Error("ref parts must be ids");
  return `refs/dm/external/${runId}/${taskId}/start`;
}

export type ExternalState = {
  status: (typeof runTasks.$inferSelect)["status"];
  /** Handed in and not yet gated. */
  submitted: boolean;
  /** The attempt the current submission is (attempts + 1). */
  submission: number;
  /** Another task of the run is ready to start (the plan changed while the run waited). */
  readyWork: boolean;
} | null;

export async function externalState(scope: RunScope, taskId: string): Promise<ExternalState> {
  const tasks = await inTenant(scope, (tx) => loadTasks(tx, scope));
  const task = tasks.find((t) => t.id === taskId);
  if (!task) return null;
  const decision = schedule(
    tasks.map((t) => ({
      key: t.key,
      status: t.status,
      dependsOn: t.dependsOn,
      priority: t.priority,
      order: t.position,
    })),
    { maxParallel: Number.MAX_SAFE_INTEGER },
  );
  return {
    status: task.status,
    submitted: task.status === "waiting_worker" && task.externalSummary !== null,
    submission: task.attempts + 1,
    readyWork: decision.start.length > 0,
  };
}

/** Records where the branch stands as the task is handed out (once: an existing ref is kept). */
export async function markExternalStart(scope: RunScope, taskId: string): Promise<string | null> {
  const repo = await runRepository(scope);
  const ref = externalStartRef(scope.runId, taskId);
  const existing = await resolveCommit(repo.origin, ref);
  if (existing) return existing;
  const head = await resolveCommit(repo.origin, branchRef(repo.branch));
  if (!head) return null;
  await gitBare(repo.origin, ["update-ref", ref, head, ""], { okCodes: [128, 1] });
  return resolveCommit(repo.origin, ref);
}

const FIXED_DATES = { GIT_AUTHOR_DATE: "946684800 +0000", GIT_COMMITTER_DATE: "946684800 +0000" };
const isKind = (k: string): k is ArtifactKind => (ARTIFACT_KINDS as readonly string[]).includes(k);

export type ExternalReview = { kind: "review"; artifactId: string } | { kind: "cancelled" };

/**
 * Takes a handed-in task to the gate: its work becomes the task's work ref (a snapshot of the
 * worker's commit whose base is where the branch stood when the task was handed out, so the checks
 * and the reviewer see exactly the worker's changes), its summary is saved as the task's artifact,
 * and the task goes to `review` as attempt `submission`. Deterministic, so a re-run writes the same.
 */
export async function startExternalReview(
  scope: RunScope,
  taskId: string,
  submission: number,
  key: StepKey,
): Promise<ExternalReview> {
  const stored = await storedResult<ExternalReview>(scope, key);
  if (stored) return stored.result;
  const env = await loadEnvironment(scope);
  const task = await inTenant(scope, (tx) => loadTask(tx, scope, taskId));
  if (task?.status !== "waiting_worker" || task.externalSummary === null) return { kind: "cancelled" };
  const repo = await runRepository(scope);
  const head = await resolveCommit(repo.origin, branchRef(repo.branch));
  const commit = task.externalCommit ?? head;
  if (commit) {
    const base = (await resolveCommit(repo.origin, externalStartRef(scope.runId, taskId))) ?? repo.baseCommit;
    const { stdout } = await gitBare(
      repo.origin,
      ["commit-tree", await treeOf(repo.origin, commit), "-p", commit, "-F", "-"],
      { input: `DafnckMachine snapshot\n\nDm-Base: ${base}\n`, env: FIXED_DATES },
    );
    await gitBare(repo.origin, ["update-ref", taskWorkRef(scope.runId, taskId), stdout.trim()]);
  }
  const definition = env.catalog.has(task.agentSlug) ? agentOf(env, task.agentSlug).definition : null;
  const expected = definition?.artifactKinds.find((k) => k !== "plan" && k !== "review_verdict");
  const kind: ArtifactKind = expected && isKind(expected) ? expected : "documentation";
  const summary = task.externalSummary;
  return once(scope, key, async (tx): Promise<ExternalReview> => {
    const moved = await tx
      .update(runTasks)
      .set({ status: "review", statusReason: null, attempts: submission })
      .where(
        and(
          eq(runTasks.orgId, scope.orgId),
          eq(runTasks.id, taskId),
          eq(runTasks.status, "waiting_worker"),
          sql`${runTasks.externalSummary} is not null`,
        ),
      )
      .returning({ id: runTasks.id });
    if (!moved.length) return { kind: "cancelled" };
    const id = derivedId(scope.runId, key, "external-report");
    await tx
      .insert(artifacts)
      .values({
        id,
        orgId: scope.orgId,
        projectId: env.project.id,
        runId: scope.runId,
        taskId,
        artifactKey: id,
        version: 1,
        kind,
        title: task.title,
        content: summary,
        summary: summary.replace(/\s+/g, " ").slice(0, 400),
        agentSlug: task.agentSlug,
      })
      .onConflictDoNothing();
    await appendRunEvents(tx, scope, [
      { type: "task.status", taskId, status: "review" },
      { type: "artifact.saved", artifactId: id, taskId, kind, title: task.title, version: 1 },
    ]);
    return { kind: "review", artifactId: id };
  });
}

/**
 * The gate rejected the worker's submission: the task goes back to `waiting_worker` for the same
 * worker, the feedback appended to its context (what the worker reads), the submission cleared.
 */
export async function returnToWorker(
  scope: RunScope,
  taskId: string,
  submission: number,
  reasons: string[],
  key: StepKey,
): Promise<boolean> {
  return once(scope, key, async (tx) => {
    const task = await loadTask(tx, scope, taskId);
    if (task?.status !== "review") return false;
    const feedback = `## Feedback from the gate on submission ${submission}\n\n${reasons.map((r) => `- ${r}`).join("\n")}`;
    const context = (task.context.trim() ? `${task.context.trim()}\n\n${feedback}` : feedback).slice(-20_000);
    const reason = `Sent back to the worker: ${reasons.join(" ")}`.slice(0, 2000);
    await tx
      .update(runTasks)
      .set({
        status: "waiting_worker",
        statusReason: reason,
        context,
        externalSummary: null,
        externalCommit: null,
      })
      .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, taskId)));
    await appendRunEvents(tx, scope, [{ type: "task.status", taskId, status: "waiting_worker", reason }]);
    return true;
  });
}

/** No worker handed the task in before the wait ran out: it fails (a member can retry it). */
export async function expireExternal(scope: RunScope, taskId: string, key: StepKey): Promise<boolean> {
  return once(scope, key, async (tx) => {
    const reason = "No external worker completed the task in time.";
    const changed = await tx
      .update(runTasks)
      .set({ status: "failed", statusReason: reason, finishedAt: new Date() })
      .where(
        and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, taskId), eq(runTasks.status, "waiting_worker")),
      )
      .returning({ id: runTasks.id });
    if (changed.length)
      await appendRunEvents(tx, scope, [{ type: "task.status", taskId, status: "failed", reason }]);
    return changed.length > 0;
  });
}

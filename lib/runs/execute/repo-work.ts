import path from "node:path";
import { and, eq, isNull, sql } from "drizzle-orm";
import { runs, runTasks } from "@/db/schema";
import { slugify } from "@/lib/projects/slug";
import { gitBare } from "@/lib/repos/git";
import { exists } from "@/lib/repos/init-origin";
import { originPath, workingCopyPath } from "@/lib/repos/paths";
import { commitMessage, findTaskCommit, mergeTaskWork } from "@/lib/repos/workspace/merge";
import { attemptStartRef, branchRef, callSnapshotRef, taskWorkRef } from "@/lib/repos/workspace/refs";
import { prepareRunBranch, type RunRepository } from "@/lib/repos/workspace/run-branch";
import {
  baseOf,
  conflictFilesOf,
  conflictStart,
  resolveCommit,
  snapshotWithFiles,
} from "@/lib/repos/workspace/working-copy";
import { appendRunEvents } from "@/lib/runs/event-log";
import { once, type StepKey, storedResult } from "./once";
import { inTenant, loadEnvironment, loadTask, type RunEnvironment } from "./state";
import type { RunScope } from "./types";

/**
 * The run's repository work between model calls: where each attempt of a task starts, and the
 * merge of an accepted task into the run branch as one commit. All state lives in the origin
 * (refs under `refs/dm/`) and in step results, so any process can pick a step up.
 */

/** Where an attempt starts: `base` is what its changes are merged against, `start` the files it opens. */
export type AttemptWorkspace = { attempt: number; base: string; start: string; conflictFiles: string[] };

/** The run's origin and branch; creates them if the run predates its branch step. */
export async function runRepository(scope: RunScope): Promise<RunRepository> {
  const run = await inTenant(scope, async (tx) => {
    const [row] = await tx
      .select({ projectId: runs.projectId, branch: runs.branch, baseCommit: runs.baseCommit })
      .from(runs)
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    return row;
  });
  if (!run) throw new Error(`Run ${scope.runId} not found in its organization.`);
  const origin = originPath(scope.orgId, run.projectId);
  if (run.branch && run.baseCommit && (await exists(path.join(origin, "HEAD")))) {
    return { origin, projectId: run.projectId, branch: run.branch, baseCommit: run.baseCommit };
  }
  return prepareRunBranch(scope);
}

export function taskWorkingCopy(scope: RunScope, projectId: string, taskId: string): string {
  return workingCopyPath(scope.orgId, projectId, `task-${taskId}`);
}

/**
 * Where attempt `attempt` of a task starts, read when the attempt is prepared (so after the
 * tasks it depends on merged): after a merge conflict, the run head with the task's changes
 * merged in, markers and all; after an earlier attempt, that attempt's work; else the run head.
 */
export async function attemptWorkspace(
  scope: RunScope,
  taskId: string,
  attempt: number,
): Promise<AttemptWorkspace> {
  const { origin, branch } = await runRepository(scope);
  const start = await resolveCommit(origin, attemptStartRef(scope.runId, taskId, attempt));
  if (start) {
    return {
      attempt,
      base: await baseOf(origin, start),
      start,
      conflictFiles: await conflictFilesOf(origin, start),
    };
  }
  const previous = await resolveCommit(origin, taskWorkRef(scope.runId, taskId));
  if (previous) return { attempt, base: await baseOf(origin, previous), start: previous, conflictFiles: [] };
  const head = await resolveCommit(origin, branchRef(branch));
  if (!head) throw new Error(`The run branch ${branch} is missing in the origin.`);
  return { attempt, base: head, start: head, conflictFiles: [] };
}

export const callRef = (scope: RunScope, taskId: string, attempt: number, n: number) =>
  callSnapshotRef(scope.runId, taskId, attempt, n);

/** The review feedback of an attempt that starts from a merge conflict. */
export function conflictFeedback(files: string[]): string {
  return `Your changes conflict with work merged into the run branch meanwhile, in: ${files.join(", ")}. The files hold git conflict markers (<<<<<<<, =======, >>>>>>>): resolve each conflict keeping both intents, and remove the markers.`;
}

/** A path inside the repository, or null for anything that could leave it. */
export function safeRepoPath(p: string | null | undefined): string | null {
  if (!p) return null;
  const rel = path.posix.normalize(p.trim().replaceAll("\\", "/"));
  if (!rel || rel === "." || path.posix.isAbsolute(rel) || rel.startsWith("-")) return null;
  const parts = rel.split("/");
  if (parts.includes("..") || parts.includes(".git") || rel.length > 300) return null;
  return rel;
}

/** Where an artifact lives in the repository: its own path for code, `docs/<kind>/<title>.md` else. */
export function artifactFilePath(kind: string, title: string, ownPath?: string | null): string {
  const own = safeRepoPath(ownPath);
  if (own) return own;
  return `docs/${kind.replaceAll("_", "-")}/${slugify(title).slice(0, 80) || "document"}.md`;
}

/**
 * Records an attempt's final work as the task's work (the ref a merge takes), adding the reply
 * document of an agent without write tools. Deterministic: a re-run writes the same commit.
 */
export async function recordTaskWork(
  scope: RunScope,
  taskId: string,
  ws: AttemptWorkspace,
  snapshot: string | null,
  files: { path: string; content: string }[],
): Promise<string> {
  const { origin } = await runRepository(scope);
  const ref = taskWorkRef(scope.runId, taskId);
  const from = snapshot ?? ws.start;
  if (files.length) return snapshotWithFiles(origin, { base: ws.base, from }, files, ref);
  await gitBare(origin, ["update-ref", ref, from]);
  return from;
}

export type MergeResult =
  | { kind: "committed"; sha: string; files: number }
  | { kind: "conflict"; files: string[] }
  | { kind: "cancelled" };

function agentIdentity(env: RunEnvironment, slug: string) {
  return { slug, name: env.catalog.get(slug)?.definition.name ?? slug };
}

/**
 * Merges a task's accepted work into the run branch: one commit `<key>: <title>` with the
 * trailers Run, Task and Agent, authored by the agent. Exactly once: a re-run finds the commit by
 * its Task trailer on the branch, and the row, the run head and `task.committed` are written with
 * the step's result. Merges of one run are serialized. A conflict writes nothing on the branch:
 * it records where the task's next attempt starts and reports the files.
 */
export async function mergeTask(scope: RunScope, taskId: string, key: StepKey): Promise<MergeResult> {
  const stored = await storedResult<MergeResult>(scope, key);
  if (stored) return stored.result;
  const env = await loadEnvironment(scope);
  const repo = await runRepository(scope);
  const { origin, branch } = repo;
  return once(scope, key, async (tx): Promise<MergeResult> => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`merge:${scope.runId}`}))`);
    const task = await loadTask(tx, scope, taskId);
    if (!task) return { kind: "cancelled" };
    if (task.commitSha) return { kind: "committed", sha: task.commitSha, files: 0 };
    const subject = `${task.key}: ${task.title}`.replace(/\s+/g, " ").slice(0, 200);
    const message = commitMessage(subject, {
      runId: scope.runId,
      taskId,
      agent: agentIdentity(env, task.agentSlug),
    });
    let sha: string;
    let files = 0;
    const found = await findTaskCommit(origin, branch, repo.baseCommit, taskId);
    const work = found ? null : await resolveCommit(origin, taskWorkRef(scope.runId, taskId));
    if (found) {
      sha = found;
      const { stdout } = await gitBare(origin, [
        "diff-tree",
        "--no-commit-id",
        "--name-only",
        "-r",
        "-z",
        `${found}^`,
        found,
      ]);
      files = stdout.split("\0").filter(Boolean).length;
    } else if (!work) {
      sha = (await resolveCommit(origin, branchRef(branch))) as string;
    } else {
      const outcome = await mergeTaskWork(origin, branch, work, {
        message,
        runId: scope.runId,
        taskId,
        agent: agentIdentity(env, task.agentSlug),
      });
      if (outcome.kind === "conflict") {
        await conflictStart(
          origin,
          outcome.tree,
          outcome.head,
          work,
          outcome.files,
          attemptStartRef(scope.runId, taskId, task.attempts + 1),
        );
        await appendRunEvents(tx, scope, [{ type: "task.conflict", taskId, branch, files: outcome.files }]);
        return { kind: "conflict", files: outcome.files };
      }
      sha = outcome.sha;
      files = outcome.kind === "committed" ? outcome.files : 0;
    }
    // A task that changed nothing gets no commit: it is recorded at the head that holds its (empty) result.
    await tx
      .update(runTasks)
      .set({ commitSha: sha })
      .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, taskId)));
    const head = await resolveCommit(origin, branchRef(branch));
    await tx
      .update(runs)
      .set({ headCommit: head })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    await appendRunEvents(tx, scope, [
      {
        type: "task.committed",
        taskId,
        sha,
        branch,
        message: files ? subject : `${subject} (no changes)`,
        files,
      },
    ]);
    return { kind: "committed", sha, files };
  });
}

/**
 * Merges tasks that became done outside their work loop (a person approved a gated or escalated
 * result). A conflict sends the task back to its agent. Returns the tasks reopened.
 */
export async function sweepMerges(scope: RunScope, key: StepKey): Promise<string[]> {
  const pending = await inTenant(scope, (tx) =>
    tx
      .select({ id: runTasks.id })
      .from(runTasks)
      .where(
        and(
          eq(runTasks.orgId, scope.orgId),
          eq(runTasks.runId, scope.runId),
          eq(runTasks.status, "done"),
          isNull(runTasks.commitSha),
        ),
      ),
  );
  if (!pending.length) return [];
  const { origin } = await runRepository(scope);
  const reopened: string[] = [];
  for (const { id } of pending) {
    if (!(await resolveCommit(origin, taskWorkRef(scope.runId, id)))) continue;
    const merged = await mergeTask(scope, id, `${key}:${id}`);
    if (merged.kind !== "conflict") continue;
    await reopenTask(scope, id, conflictFeedback(merged.files), `${key}:${id}:reopen`);
    reopened.push(id);
  }
  return reopened;
}

async function reopenTask(scope: RunScope, taskId: string, reason: string, key: StepKey) {
  await once(scope, key, async (tx) => {
    const changed = await tx
      .update(runTasks)
      .set({ status: "todo", statusReason: reason.slice(0, 2000), finishedAt: null })
      .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, taskId), eq(runTasks.status, "done")))
      .returning({ id: runTasks.id });
    if (changed.length)
      await appendRunEvents(tx, scope, [
        { type: "task.status", taskId, status: "todo", reason: reason.slice(0, 2000) },
      ]);
    return null;
  });
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { runTasks } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { runNudged } from "@/inngest/events";
import { parseWith } from "@/lib/api/input";
import { requireScope } from "@/lib/api-keys/key-context";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { gitBare } from "@/lib/repos/git";
import { originPath } from "@/lib/repos/paths";
import { appendRunEvents } from "@/lib/runs/event-log";
import { findRunRow } from "@/lib/runs/queries";
import { assertClaimable, claimantOf, type ExternalTaskView, externalTaskView } from "./external-task";
import { type CompleteExternalTaskInput, completeExternalTaskSchema } from "./schemas";
import { findTask, PLAN_EDIT_PERMISSION, withPlanEdit } from "./shared";

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * The full sha of `commit` if it is a commit reachable from the run branch in the project's
 * origin; 422 otherwise. `commit` is checked as hexadecimal before it reaches git, and is passed
 * as one argument (no shell); the branch name is the run's own.
 */
export async function commitOnRunBranch(origin: string, branch: string, commit: string): Promise<string> {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) {
    throw new AppError("validation", "The commit must be a hexadecimal sha.", {
      fieldErrors: { commit: ["The commit must be a hexadecimal sha (7 to 40 characters)."] },
    });
  }
  const resolved = await gitBare(origin, ["rev-parse", "--verify", "--quiet", `${commit}^{commit}`], {
    okCodes: [1, 128],
  }).catch(() => ({ code: 128, stdout: "" }));
  const sha = resolved.code === 0 ? resolved.stdout.trim() : "";
  if (!FULL_SHA.test(sha)) {
    throw new AppError("validation", `Commit ${commit} is not in the project's repository.`, {
      fieldErrors: {
        commit: [`Commit ${commit} is not in the project's repository: push it to ${branch} first.`],
      },
    });
  }
  const ancestor = await gitBare(origin, ["merge-base", "--is-ancestor", sha, `refs/heads/${branch}`], {
    okCodes: [1, 128],
  });
  if (ancestor.code !== 0) {
    throw new AppError("validation", `Commit ${commit} is not on the run branch ${branch}.`, {
      fieldErrors: { commit: [`Commit ${commit} is not on the run branch ${branch}: push it there first.`] },
    });
  }
  return sha;
}

/**
 * An external worker hands its task in: what it did and the commit it pushed to the run branch.
 * The run then gates it like any task (the project's checks, the reviewer); a rejection sends the
 * task back to the worker with the feedback in its context.
 */
export async function completeExternalTask(
  ctx: OrgContext,
  runId: string,
  taskKey: string,
  input: CompleteExternalTaskInput,
): Promise<{ task: ExternalTaskView; submission: number }> {
  requireScope(ctx, PLAN_EDIT_PERMISSION);
  const data = parseWith(completeExternalTaskSchema, input);
  let commit: string | null = null;
  if (data.commit) {
    const run = await ctx.tx((tx) => findRunRow(tx, ctx.org.id, runId));
    if (!run.branch) throw new AppError("conflict", "This run has no branch yet.");
    commit = await commitOnRunBranch(originPath(ctx.org.id, run.projectId), run.branch, data.commit);
  }
  const done = await withPlanEdit(ctx, runId, async (session) => {
    const task = findTask(session, taskKey);
    assertClaimable(ctx, task);
    if (task.externalSummary !== null) {
      throw new AppError("conflict", `Task "${task.key}" is already handed in; the gate is checking it.`);
    }
    const reason = "Handed in by the external worker; the gate checks it.";
    const [row] = await session.tx
      .update(runTasks)
      .set({
        externalSummary: data.summary,
        externalCommit: commit,
        statusReason: reason,
        claimedAt: task.claimedAt ?? new Date(),
        claimedByApiKeyId: task.claimedAt ? task.claimedByApiKeyId : claimantOf(ctx),
      })
      .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.id, task.id)))
      .returning();
    if (!row) throw new Error("task update returned no row");
    await appendRunEvents(session.tx, session.scope, [
      { type: "task.status", taskId: task.id, status: "waiting_worker", reason },
    ]);
    await ctx.audit(session.tx, {
      action: "task.complete",
      target: { type: "run", id: session.run.id },
      metadata: { task: task.key, commit, apiKeyId: claimantOf(ctx) },
    });
    return { row, submission: task.attempts + 1 };
  });
  const scope = { orgId: ctx.org.id, runId: done.row.runId };
  await inngest
    .send(
      runNudged.create(
        { ...scope, reason: "external_completed", taskId: done.row.id, submission: done.submission },
        { id: `external-completed:${done.row.id}:${done.submission}` },
      ),
    )
    .catch((error) => console.error("[external] completion event not sent; the run's poll sees it", error));
  return { task: externalTaskView(done.row), submission: done.submission };
}

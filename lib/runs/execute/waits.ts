import type { Inngest } from "inngest";
import { approvalDecided, planApproved, runNudged } from "@/inngest/events";
import { announceApprovalDecision } from "@/lib/runs/approval-outbox";
import {
  type ExternalReview,
  type ExternalState,
  expireExternal,
  externalState,
  markExternalStart,
  returnToWorker,
  startExternalReview,
} from "./external-run";
import { type PlanReviewState, planReviewState } from "./plan-review";
import { type MergeResult, mergeTask } from "./repo-work";
import { inTenant, loadTask } from "./state";
import { type GateResult, gateTaskChecks } from "./task-checks";
import {
  type ApprovalState,
  applyApproval,
  approvalState,
  type ReviewResult,
  requestApproval,
  reviewAttempt,
  setTaskStatus,
} from "./task-run";
import { MAX_TASK_ATTEMPTS, type RunDeps, type RunScope } from "./types";

/**
 * The run function's durable waits on the world outside it — a person's decision, a plan review,
 * an external worker — all one pattern: a `waitForEvent` and a re-check of the stored state run in
 * parallel, every `pollInterval`, up to `polls` times. The state is what counts: a check that
 * finds the thing done re-sends the event (its own id) so the registered wait returns now, and an
 * event that is lost is still seen by the next check. Each wait survives restarts (steps).
 */

type Step = {
  waitForEvent: (id: string, opts: { event: unknown; if: string; timeout: string }) => Promise<unknown>;
};
type RunStep = <T>(id: string, body: (key: string) => Promise<T>) => Promise<unknown>;

export type WaitTools = {
  client: Inngest.Any;
  step: Step;
  run: RunStep;
  scope: RunScope;
  /** The function run's id: event ids of re-sends are unique per execution. */
  fnRunId: string;
  deps: Required<RunDeps>;
};

/** Waits for a person's decision on an approval, then applies it (or times it out). */
export async function awaitApproval(t: WaitTools, approvalId: string): Promise<void> {
  const { step, run, scope, deps } = t;
  for (let i = 0; ; i++) {
    const [decided, state] = (await Promise.all([
      step.waitForEvent(`approval-${approvalId}-wait-${i}`, {
        event: approvalDecided,
        if: `async.data.approvalId == '${approvalId}'`,
        timeout: deps.approvalPollInterval,
      }),
      run(`approval-${approvalId}-check-${i}`, async () => {
        const found = await approvalState(scope, approvalId);
        if (found && found.status !== "pending") {
          await announceApprovalDecision(
            t.client,
            scope,
            approvalId,
            `approval-decided:${approvalId}:${t.fnRunId}:check-${i}`,
          );
        }
        return found;
      }),
    ])) as [
      { data: { decision: "approved" | "rejected"; comment: string | null } } | null,
      ApprovalState | null,
    ];
    if (!state) return;
    const decision = decided
      ? { decision: decided.data.decision, comment: decided.data.comment }
      : state.status !== "pending"
        ? { decision: state.status, comment: state.comment }
        : null;
    if (decision) {
      await run(`approval-${approvalId}-apply`, (key) => applyApproval(scope, approvalId, decision, key));
      return;
    }
    if (i >= deps.approvalPolls) {
      await run(`approval-${approvalId}-timeout`, (key) =>
        applyApproval(scope, approvalId, { decision: "timed_out", comment: null }, key),
      );
      return;
    }
  }
}

/** Waits for a member to approve the plan. */
export async function awaitPlanReview(t: WaitTools): Promise<"approved" | "cancelled" | "timed_out"> {
  const { step, run, scope, deps } = t;
  for (let i = 0; ; i++) {
    const [approved, state] = (await Promise.all([
      step.waitForEvent(`plan-review-wait-${i}`, {
        event: planApproved,
        if: `async.data.runId == '${scope.runId}'`,
        timeout: deps.approvalPollInterval,
      }),
      run(`plan-review-check-${i}`, async () => {
        const found = await planReviewState(scope);
        if (found.approved) {
          await t.client.send(planApproved.create(scope, { id: `plan-approved:${t.fnRunId}:check-${i}` }));
        }
        return found;
      }),
    ])) as [unknown, PlanReviewState];
    if (state.cancelled) return "cancelled";
    if (approved || state.approved) return "approved";
    if (i >= deps.approvalPolls) return "timed_out";
  }
}

/** `replan`: nothing handed in, but another task is ready to start; the loop picks it and waits again. */
export type ExternalOutcome = "done" | "waiting" | "failed" | "cancelled" | "budget" | "replan";

/**
 * Waits on a task an external worker is to claim and hand in, then gates each submission like an
 * agent's attempt: the project's checks on its commit, then the reviewer. Passed → merged (its
 * commit is already on the run branch) and done, or a person approves it first; rejected → back to
 * the worker with the feedback, up to the attempt limit, then escalated to a person.
 */
export async function awaitExternal(t: WaitTools, round: number, taskId: string): Promise<ExternalOutcome> {
  const { step, run, scope, deps } = t;
  const prefix = `ext-r${round}-${taskId}`;
  await run(`${prefix}-start`, () => markExternalStart(scope, taskId));
  let polls = 0;
  for (let i = 0; ; i++) {
    const [nudged, state] = (await Promise.all([
      // Any nudge of this run: a hand-in (of this task or another), or a plan edit.
      step.waitForEvent(`${prefix}-wait-${i}`, {
        event: runNudged,
        if: `async.data.runId == '${scope.runId}'`,
        timeout: deps.approvalPollInterval,
      }),
      run(`${prefix}-check-${i}`, async () => {
        const found = await externalState(scope, taskId);
        if (found?.submitted || found?.readyWork) {
          await t.client.send(
            runNudged.create(
              { ...scope, reason: "external_completed", taskId, submission: found.submission },
              { id: `external-check:${taskId}:${found.submission}:${t.fnRunId}:${prefix}-${i}` },
            ),
          );
        }
        return found;
      }),
    ])) as [unknown, ExternalState];
    if (state?.status !== "waiting_worker") return state?.status === "done" ? "done" : "cancelled";
    // The nudge may have come after the check read the state: read again.
    const current = (
      nudged && !state.submitted && !state.readyWork
        ? await run(`${prefix}-read-${i}`, () => externalState(scope, taskId))
        : state
    ) as ExternalState;
    if (current?.status !== "waiting_worker") return current?.status === "done" ? "done" : "cancelled";
    if (!current.submitted) {
      // A task became ready meanwhile (the plan changed): back to the scheduling loop to start it.
      if (current.readyWork) return "replan";
      if (++polls > deps.approvalPolls) {
        await run(`${prefix}-expire`, (key) => expireExternal(scope, taskId, key));
        return "failed";
      }
      continue;
    }
    polls = 0;
    const outcome = await gateSubmission(t, `${prefix}-s${current.submission}`, taskId, current.submission);
    if (outcome !== "again") return outcome;
  }
}

async function gateSubmission(
  t: WaitTools,
  id: string,
  taskId: string,
  submission: number,
): Promise<ExternalOutcome | "again"> {
  const { run, scope, deps } = t;
  const started = (await run(`${id}-review-start`, (key) =>
    startExternalReview(scope, taskId, submission, key),
  )) as ExternalReview;
  if (started.kind !== "review") return "cancelled";
  const gate = (await run(`${id}-check`, (key) =>
    gateTaskChecks(scope, taskId, submission, key, deps.sandbox),
  )) as GateResult;
  if (gate.kind === "cancelled") return "cancelled";
  let review: ReviewResult;
  if (gate.kind === "failed") {
    review = { kind: "verdict", verdict: "fail", reasons: [gate.feedback], checksFailed: true };
  } else {
    review = (await run(`${id}-review`, (key) =>
      reviewAttempt(scope, deps.resolveModel, taskId, started.artifactId, submission, key),
    )) as ReviewResult;
  }
  if (review.kind === "budget") return "budget";
  if (review.kind !== "verdict") return "cancelled";
  if (review.verdict === "pass") {
    const task = (await run(`${id}-needs-approval`, async () =>
      externalNeedsApproval(scope, taskId),
    )) as boolean;
    if (task) {
      await run(`${id}-gate`, (key) => requestApproval(scope, taskId, "gate", [], key));
      return "waiting";
    }
    const merged = (await run(`${id}-merge`, (key) => mergeTask(scope, taskId, key))) as MergeResult;
    if (merged.kind === "committed") {
      await run(`${id}-done`, (key) => setTaskStatus(scope, taskId, "done", { from: ["review"] }, key));
      return "done";
    }
    if (merged.kind === "cancelled") return "cancelled";
    review = {
      ...review,
      verdict: "fail",
      reasons: [`The work conflicts with the run branch in: ${merged.files.join(", ")}.`],
    };
  }
  if (submission >= MAX_TASK_ATTEMPTS) {
    const kind = review.checksFailed ? "checks" : "escalation";
    const reasons = review.reasons;
    await run(`${id}-escalate`, (key) => requestApproval(scope, taskId, kind, reasons, key));
    return "waiting";
  }
  const reasons = review.reasons;
  await run(`${id}-return`, (key) => returnToWorker(scope, taskId, submission, reasons, key));
  return "again";
}

async function externalNeedsApproval(scope: RunScope, taskId: string): Promise<boolean> {
  const task = await inTenant(scope, (tx) => loadTask(tx, scope, taskId));
  return Boolean(task?.needsApproval);
}

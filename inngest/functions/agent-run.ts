import type { Inngest } from "inngest";
import { resolveRunModel } from "@/lib/ai/org-settings";
import { publishRun } from "@/lib/repos/publish/publish-run";
import { prepareRunBranch } from "@/lib/repos/workspace/run-branch";
import type { RunStatus } from "@/lib/runs/events";
import { type CallResult, callAgent, foldTurn, type TurnSubject } from "@/lib/runs/execute/agent-turn";
import { reasonOf } from "@/lib/runs/execute/failure";
import {
  admitRun,
  failRun,
  finishRun,
  prepareSummary,
  setRunWaiting,
  storeSummary,
} from "@/lib/runs/execute/lifecycle";
import { holdForPlanReview } from "@/lib/runs/execute/plan-review";
import { type PlanAttempt, planAttempt, storePlan } from "@/lib/runs/execute/plan-run";
import {
  type AttemptWorkspace,
  attemptWorkspace,
  conflictFeedback,
  type MergeResult,
  mergeTask,
  sweepMerges,
} from "@/lib/runs/execute/repo-work";
import {
  type BranchCheckResult,
  branchChecks,
  type GateResult,
  gateTaskChecks,
} from "@/lib/runs/execute/task-checks";
import {
  type AgentPrompt,
  finishWork,
  prepareWork,
  type ReviewResult,
  type Round,
  requestApproval,
  reviewAttempt,
  scheduleRound,
  setTaskStatus,
  type WorkResult,
} from "@/lib/runs/execute/task-run";
import {
  BudgetExhaustedError,
  MAX_AGENT_CALLS,
  MAX_PLAN_ATTEMPTS,
  MAX_TASK_ATTEMPTS,
  RunCancelledError,
  type RunDeps,
  type RunScope,
} from "@/lib/runs/execute/types";
import { awaitApproval, awaitExternal, awaitPlanReview, type WaitTools } from "@/lib/runs/execute/waits";
import type { Plan } from "@/lib/runs/plan";
import { DEFAULT_MAX_PARALLEL } from "@/lib/runs/schedule";
import { resolveSandbox } from "@/lib/sandbox/resolve-sandbox";
import { inngest } from "../client";
import { runRequested } from "../events";

/** The engine-level cap per organization; the org's own limit (maxConcurrentRuns, ≤ 20) is enforced on admission. */
const ORG_CONCURRENCY_CAP = 20;
/** Bounds the scheduling loop (each round starts at least one task or waits on a person). */
const MAX_ROUNDS = 200;

type TaskOutcome = "done" | "waiting" | "failed" | "budget" | "cancelled" | "question";

const DEFAULT_DEPS: Required<RunDeps> = {
  resolveModel: (orgId, tier, agent) => resolveRunModel(orgId, tier, agent),
  maxParallel: DEFAULT_MAX_PARALLEL,
  slotPollInterval: "15s",
  // An approval waits 7 days in all, checked hourly so a decision sent before the wait began is seen.
  approvalPollInterval: "1h",
  approvalPolls: 168,
  runStep: (_id, body) => body(),
  modelCallTimeoutMs: 120_000,
  sandbox: () => resolveSandbox(),
};

/** Budget and cancellation end a model step normally (as data), so the step is not retried. */
async function guarded<T>(fn: () => Promise<T>): Promise<T | { kind: "budget" } | { kind: "cancelled" }> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof BudgetExhaustedError) return { kind: "budget" };
    if (error instanceof RunCancelledError) return { kind: "cancelled" };
    throw error;
  }
}

/**
 * A run of the agent swarm as one durable function: admission under the organization's run limit,
 * planning (validated, re-asked with feedback), then rounds of ready tasks in parallel — each
 * worked by its agent, checked by the reviewer (reworked up to twice, then escalated to a person),
 * and held at approval gates — and finally the summary and the final status, written last.
 * Every change goes through the run's event log in the same transaction as the row it changes.
 */
export function createAgentRunFunction(client: Inngest.Any, overrides: RunDeps | Partial<RunDeps> = {}) {
  const deps = { ...DEFAULT_DEPS, ...overrides } as Required<RunDeps>;
  const resolve = deps.resolveModel;

  return client.createFunction(
    {
      id: "agent-run",
      name: "Agent run",
      // Step-level retries for transient provider or database errors; a step that keeps failing
      // fails its task, not the run.
      retries: 2,
      concurrency: [{ key: "event.data.orgId", limit: ORG_CONCURRENCY_CAP }],
      cancelOn: [{ event: "runs/run.cancel-requested", match: "data.runId" }],
      triggers: [runRequested],
      // Whatever failed for good (a provider refusing every call, a bug), the run ends with a
      // readable reason and frees its slot instead of staying "running".
      onFailure: async ({ event, error, step, runId }) => {
        const { orgId, runId: id } = event.data.event.data;
        await step.run("fail-run", () => failRun({ orgId, runId: id }, reasonOf(error), `${runId}:fail-run`));
      },
    },
    async ({ event, step, runId }) => {
      const scope: RunScope = { orgId: event.data.orgId, runId: event.data.runId };
      /** A step whose body knows its key (`<function run>:<step id>`) to commit its effects once. */
      const run = <T>(id: string, body: (key: string) => Promise<T>) =>
        step.run(id, () => deps.runStep(id, () => body(`${runId}:${id}`)) as Promise<T>);
      const finish = (status: RunStatus, reason?: string) =>
        run("finish", (key) => finishRun(scope, status, reason, key));

      // An agent's turn: one step per model call, continued from the previous call's messages,
      // at most MAX_AGENT_CALLS calls. Each step is bounded by the call timeout.
      // A task's calls work in its working copy, each starting from the snapshot the previous left.
      const agentTurn = async (
        prefix: string,
        subject: TurnSubject,
        prompt: AgentPrompt,
        ws?: AttemptWorkspace,
      ) => {
        const calls: CallResult[] = [];
        const history: AgentPrompt["messages"] = [];
        let from = ws?.start;
        for (let n = 0; n < MAX_AGENT_CALLS; n++) {
          const past = [...history];
          const place = ws && from ? { attempt: ws.attempt, n, base: ws.base, from } : undefined;
          const call = (await run(`${prefix}-call-${n}`, (key) =>
            callAgent(
              scope,
              resolve,
              subject,
              prompt,
              past,
              key,
              deps.modelCallTimeoutMs,
              place,
              deps.sandbox,
            ),
          )) as CallResult;
          calls.push(call);
          if (call.kind !== "message" || !call.wantsMore) break;
          from = call.snapshot ?? from;
          history.push(...call.messages);
        }
        return foldTurn(calls);
      };

      const waits: WaitTools = {
        client,
        step: step as unknown as WaitTools["step"],
        run,
        scope,
        fnRunId: runId,
        deps,
      };
      // Admission: re-check scope, skip finished runs, wait for a free slot in the organization
      // (at the start, and when the run comes back from waiting on a person).
      const admit = async (prefix: string, sleep: string) => {
        let admitted = await run(`${prefix}0`, (key) => admitRun(scope, key));
        for (let i = 1; admitted.kind === "wait"; i++) {
          await step.sleep(`${sleep}${i}`, deps.slotPollInterval);
          admitted = await run(`${prefix}${i}`, (key) => admitRun(scope, key));
        }
        return admitted;
      };

      // (a) Admission.
      const admission = await admit("admit-", "wait-for-slot-");
      if (admission.kind === "skip") return { skipped: admission.reason };

      // The run's branch in the project's repository (created once; kept if it exists).
      await run("branch", () => prepareRunBranch(scope));

      // (b) Planning, re-asked with the validation feedback.
      if (!admission.hasTasks) {
        const rejected: { rejected: unknown; feedback: string }[] = [];
        let plan: Plan | null = null;
        for (let i = 1; i <= MAX_PLAN_ATTEMPTS && !plan; i++) {
          let attempt: PlanAttempt | { kind: "budget" | "cancelled" };
          try {
            attempt = (await run(`plan-attempt-${i}`, (key) =>
              guarded(() => planAttempt(scope, resolve, rejected, key)),
            )) as PlanAttempt | { kind: "budget" | "cancelled" };
          } catch (error) {
            return { status: await finish("failed", `Planning failed: ${reasonOf(error)}`) };
          }
          if ("kind" in attempt) {
            // A cancelled run keeps its status: finishRun leaves it as it is.
            if (attempt.kind === "cancelled") return { status: await finish("cancelled") };
            return { status: await finish("budget_exhausted", "The token budget ran out while planning.") };
          }
          if (attempt.ok) plan = attempt.plan as Plan;
          else rejected.push({ rejected: attempt.rejected, feedback: attempt.feedback });
        }
        if (!plan) {
          const last = rejected.at(-1)?.feedback ?? "";
          return {
            status: await finish(
              "failed",
              `The orchestrator did not produce a valid plan in ${MAX_PLAN_ATTEMPTS} attempts. ${last}`.slice(
                0,
                2000,
              ),
            ),
          };
        }
        const accepted = plan;
        await run("store-plan", (key) => storePlan(scope, accepted, key));
      }
      // "Review the plan first": on hold (no slot) until a member approves the plan.
      if ((await run("plan-review-hold", (key) => holdForPlanReview(scope, key))).needed) {
        const reviewed = await awaitPlanReview(waits);
        if (reviewed === "cancelled") return { status: await finish("cancelled") };
        if (reviewed === "timed_out")
          return { status: await finish("failed", "Nobody reviewed the plan in time.") };
        const back = await admit("plan-approved-admit-", "plan-approved-slot-");
        if (back.kind === "skip") return { skipped: back.reason };
      }

      // (c) One task: work, review, rework up to the limit, then a person decides.
      const runTask = async (
        round: number,
        task: { id: string; attempts: number; needsApproval: boolean },
      ) => {
        let reasons: string[] = [];
        let checksFailed = false;
        for (let tries = 0; tries < MAX_TASK_ATTEMPTS; tries++) {
          const attempt = task.attempts + tries + 1;
          const id = `r${round}-${task.id}-a${attempt}`;
          let work: WorkResult;
          let review: ReviewResult;
          try {
            // Read now, so a task starts from the run head holding what its dependencies merged.
            const ws = (await run(`work-${id}-workspace`, () =>
              attemptWorkspace(scope, task.id, attempt),
            )) as AttemptWorkspace;
            const feedback = reasons.length
              ? reasons
              : ws.conflictFiles.length
                ? [conflictFeedback(ws.conflictFiles)]
                : [];
            const prepared = await run(`work-${id}-prepare`, () =>
              prepareWork(scope, task.id, attempt, feedback, ws),
            );
            if (prepared.kind !== "ready") return "cancelled" as TaskOutcome;
            const turn = await agentTurn(
              `work-${id}`,
              { taskId: task.id },
              prepared.prompt as AgentPrompt,
              ws,
            );
            work = (await run(`work-${id}`, (key) =>
              finishWork(scope, task.id, attempt, turn, prepared.expected, key, ws),
            )) as WorkResult;
            if (work.kind !== "review") return work.kind as TaskOutcome;
            // The gate: code changed → the project's checks on the attempt's commit, before and
            // regardless of the reviewer; a failure goes straight back to the agent.
            const gate = (await run(`check-${id}`, (key) =>
              gateTaskChecks(scope, task.id, attempt, key, deps.sandbox),
            )) as GateResult;
            if (gate.kind === "cancelled") return "cancelled" as TaskOutcome;
            if (gate.kind === "failed") {
              review = { kind: "verdict", verdict: "fail", reasons: [gate.feedback], checksFailed: true };
            } else {
              const artifactId = work.artifactId;
              review = (await run(`review-${id}`, (key) =>
                reviewAttempt(scope, resolve, task.id, artifactId, attempt, key),
              )) as ReviewResult;
            }
          } catch (error) {
            // A task that cannot be worked fails itself, not the run; the others go on.
            const reason = `The agent could not finish: ${reasonOf(error)}`;
            await run(`fail-${id}`, (key) => setTaskStatus(scope, task.id, "failed", { reason }, key));
            return "failed" as TaskOutcome;
          }
          if (review.kind !== "verdict") return review.kind as TaskOutcome;
          checksFailed = review.checksFailed === true;
          if (review.verdict === "pass") {
            // A gated result is merged once a person approves it (the sweep before the next round).
            if (task.needsApproval) {
              await run(`gate-${id}`, (key) => requestApproval(scope, task.id, "gate", [], key));
              return "waiting" as TaskOutcome;
            }
            let merged: MergeResult;
            try {
              merged = (await run(`merge-${id}`, (key) => mergeTask(scope, task.id, key))) as MergeResult;
            } catch (error) {
              const reason = `The accepted work could not be committed: ${reasonOf(error)}`;
              await run(`fail-${id}`, (key) => setTaskStatus(scope, task.id, "failed", { reason }, key));
              return "failed" as TaskOutcome;
            }
            if (merged.kind === "cancelled") return "cancelled" as TaskOutcome;
            if (merged.kind === "committed") {
              await run(`done-${id}`, (key) =>
                setTaskStatus(scope, task.id, "done", { from: ["review"] }, key),
              );
              return "done" as TaskOutcome;
            }
            // A conflict with work merged meanwhile: back to the agent, its changes merged with markers.
            reasons = [conflictFeedback(merged.files)];
          } else {
            reasons = review.reasons;
          }
          if (tries + 1 < MAX_TASK_ATTEMPTS) {
            const reason = `Rework requested: ${reasons.join(" ")}`.slice(0, 2000);
            await run(`rework-${id}`, (key) =>
              setTaskStatus(scope, task.id, "in_progress", { reason, from: ["review"] }, key),
            );
          }
        }
        const finalReasons = reasons;
        await run(`escalate-r${round}-${task.id}`, (key) =>
          requestApproval(scope, task.id, checksFailed ? "checks" : "escalation", finalReasons, key),
        );
        return "waiting" as TaskOutcome;
      };

      let final: { status: "completed" | "failed" | "budget_exhausted"; reason?: string } | null = null;
      // Results a person accepted are merged before the next pick (a conflict reopens the task).
      let sweep = true;
      for (let round = 0; round < MAX_ROUNDS && !final; round++) {
        if (sweep) await run(`sweep-${round}`, (key) => sweepMerges(scope, key));
        sweep = false;
        const r = await run(`schedule-${round}`, (key) => scheduleRound(scope, deps.maxParallel, key));
        if (r.cancelled) {
          return { status: await finish("cancelled") };
        } else if (r.finished) {
          final = { status: "completed" };
        } else if (r.start.length) {
          // Each task, once finished, starts the tasks it made ready (up to the parallel limit)
          // without waiting for the rest of the batch. The pick after a task is its own step, keyed
          // by the task, so the fan-out replays identically. A "cancelled" task outcome means its
          // row changed under the step; the next round reads the rows again, so the run is always
          // finished.
          const outcomes: TaskOutcome[] = [];
          const work = async (task: Round["start"][number]): Promise<void> => {
            const outcome = await runTask(round, task);
            outcomes.push(outcome);
            if (outcome === "budget" || outcome === "cancelled") return;
            const next = await run(`schedule-${round}-after-${task.id}`, (key) =>
              scheduleRound(scope, deps.maxParallel, key, { unlessSpent: true }),
            );
            await Promise.all(next.start.map(work));
          };
          await Promise.all(r.start.map(work));
          if (outcomes.includes("budget"))
            final = { status: "budget_exhausted", reason: "The token budget is spent." };
        } else if (r.pendingApprovals.length || r.external?.length) {
          // Waiting on people and external workers frees the run's slot.
          await run(`waiting-${round}`, () => setRunWaiting(scope));
          const outcomes = await Promise.all([
            ...r.pendingApprovals.map((id) => awaitApproval(waits, id)),
            ...(r.external ?? []).map((id) => awaitExternal(waits, round, id)),
          ]);
          if (outcomes.includes("budget")) {
            final = { status: "budget_exhausted", reason: "The token budget is spent." };
            continue;
          }
          sweep = true;
          // Back from a person: the run takes a slot again, so it waits for one like a new run.
          const back = await admit(`resumed-${round}-`, `wait-for-slot-${round}-`);
          if (back.kind === "skip") return { skipped: back.reason };
        } else {
          final = {
            status: "failed",
            reason: `${r.failedTasks} task${r.failedTasks === 1 ? "" : "s"} failed; the tasks that depend on them cannot start.`,
          };
        }
      }
      final ??= { status: "failed", reason: "The run did not settle within its scheduling limit." };

      // (d) The run branch's checks on the merged result, once; the final reason says whether it
      // is green. A check that cannot run does not undo the work.
      if (final.status === "completed") {
        try {
          const checked = (await run("branch-checks", (key) =>
            branchChecks(scope, key, deps.sandbox),
          )) as BranchCheckResult;
          if (checked.summary) final = { ...final, reason: checked.summary };
        } catch (error) {
          final = { ...final, reason: `The run branch's checks could not run: ${reasonOf(error)}` };
        }
      }
      // (e) The summary, then the final status — the last event of the run. A summary the model
      // cannot write does not undo the work; the reason says it is missing.
      if (final.status !== "budget_exhausted") {
        try {
          const prompt = await run("summary-prepare", () => prepareSummary(scope));
          const turn = await agentTurn("summary", { summary: true }, prompt as AgentPrompt);
          if (turn.kind === "done") await run("summary", (key) => storeSummary(scope, turn.artifactId, key));
        } catch (error) {
          const missing = `The summary could not be written: ${reasonOf(error)}`;
          final = { ...final, reason: final.reason ? `${final.reason} ${missing}` : missing };
        }
      }
      // (f) A completed run's branch goes to the project's connected remote (a pull request on
      // GitHub). A push that fails keeps the run's result; the reason says so and the run page
      // can push again.
      if (final.status === "completed") {
        try {
          await run("publish", (key) => publishRun(scope, key));
        } catch (error) {
          const unpushed = `The branch could not be pushed: ${reasonOf(error)}`;
          final = { ...final, reason: final.reason ? `${final.reason} ${unpushed}` : unpushed };
        }
      }
      const { status, reason } = final;
      return { status: await finish(status, reason) };
    },
  );
}

export const agentRun = createAgentRunFunction(inngest);

import { and, asc, eq } from "drizzle-orm";
import { checks } from "@/db/schema";
import { commitTree } from "@/lib/checks/commit-tree";
import { checkLine, checksSection, failureFeedback, isDocumentationPath } from "@/lib/checks/feedback";
import { GATE_CHECK_KINDS, NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import { type CheckPlan, checkPlan } from "@/lib/checks/project-commands";
import type { CheckRow, CheckTarget } from "@/lib/checks/record-check";
import { checksPassed, runChecks } from "@/lib/checks/run-checks";
import { gitBare } from "@/lib/repos/git";
import { taskWorkRef } from "@/lib/repos/workspace/refs";
import { baseOf, resolveCommit } from "@/lib/repos/workspace/working-copy";
import type { SandboxAvailability } from "@/lib/sandbox/types";
import { once, type StepKey, storedResult } from "./once";
import { runRepository } from "./repo-work";
import { inTenant, loadRun, loadTask } from "./state";
import type { RunScope } from "./types";

/** Finds the host's sandbox (bubblewrap, docker, the unsafe host mode) or why there is none. */
export type SandboxResolver = () => Promise<SandboxAvailability>;

/** A check as the run function carries it between steps (no log). */
export type CheckSummary = Pick<
  CheckRow,
  "id" | "kind" | "command" | "status" | "exitCode" | "durationMs" | "counts" | "reason"
>;

const summary = (r: CheckRow): CheckSummary => ({
  id: r.id,
  kind: r.kind,
  command: r.command,
  status: r.status,
  exitCode: r.exitCode,
  durationMs: r.durationMs,
  counts: r.counts,
  reason: r.reason,
});

export type GateResult =
  | { kind: "passed"; checks: CheckSummary[] }
  | { kind: "failed"; feedback: string; checks: CheckSummary[] }
  /** Not gated: no code changed, the project has no checks, or this host cannot execute code. */
  | { kind: "skipped"; reason: string; checks: CheckSummary[] }
  | { kind: "cancelled" };

const hasGateCommand = (plan: CheckPlan) =>
  plan.commands.some((c) => (GATE_CHECK_KINDS as readonly string[]).includes(c.kind));

async function changedPaths(origin: string, from: string, to: string): Promise<string[]> {
  if (from === to) return [];
  const { stdout } = await gitBare(origin, ["diff", "--name-only", "-z", "--no-renames", from, to]);
  return stdout.split("\0").filter(Boolean);
}

/** Runs a plan on a commit's files (exported fresh, removed after). */
async function checkCommit(
  target: CheckTarget,
  origin: string,
  commit: string,
  plan: CheckPlan,
  sandbox: SandboxAvailability,
  agentSlug: string | null,
): Promise<CheckRow[]> {
  if (!sandbox.available) return runChecks(target, plan, "/nonexistent", sandbox, { agentSlug });
  const tree = await commitTree(origin, target, commit);
  try {
    return await runChecks(target, plan, tree.dir, sandbox, { agentSlug });
  } finally {
    await tree.dispose();
  }
}

/**
 * The gate on an attempt's commit: when the attempt changed code, the project's build, lint and
 * test commands run on that commit in the sandbox, each stored as a check of the attempt. A
 * failure sends the task back with the failing output, whatever the reviewer would say. Safe to
 * run twice: checks the step already stored are not run again, and its result is stored once.
 */
export async function gateTaskChecks(
  scope: RunScope,
  taskId: string,
  attempt: number,
  key: StepKey,
  sandbox: SandboxResolver,
): Promise<GateResult> {
  const stored = await storedResult<GateResult>(scope, key);
  if (stored) return stored.result;
  const task = await inTenant(scope, (tx) => loadTask(tx, scope, taskId));
  if (task?.status !== "review") return { kind: "cancelled" };
  const repo = await runRepository(scope);
  const work = await resolveCommit(repo.origin, taskWorkRef(scope.runId, taskId));
  let result: GateResult;
  const code = work
    ? (await changedPaths(repo.origin, await baseOf(repo.origin, work), work)).filter(
        (p) => !isDocumentationPath(p),
      )
    : [];
  if (!work || !code.length) {
    result = { kind: "skipped", reason: "The attempt changed no code.", checks: [] };
  } else {
    const plan = await checkPlan(
      { orgId: scope.orgId, projectId: repo.projectId },
      { origin: repo.origin, commit: work },
    );
    if (!hasGateCommand(plan)) {
      result = {
        kind: "skipped",
        reason:
          "The project has no build, lint or test command to check: add one to its manifests or its repository settings.",
        checks: [],
      };
    } else {
      const available = await sandbox();
      const target: CheckTarget = {
        orgId: scope.orgId,
        projectId: repo.projectId,
        runId: scope.runId,
        taskId,
        attempt,
        scope: "task",
        branch: repo.branch,
        commitSha: work,
        stepKey: key,
      };
      const rows = await checkCommit(target, repo.origin, work, plan, available, task.agentSlug);
      const checks = rows.map(summary);
      result = !available.available
        ? { kind: "skipped", reason: `${NO_SANDBOX_MESSAGE}: the work was not checked.`, checks }
        : checksPassed(rows)
          ? { kind: "passed", checks }
          : { kind: "failed", feedback: failureFeedback(rows, work), checks };
    }
  }
  return once(scope, key, async () => result);
}

/** `summary` is the run's final reason ("The run branch is green: …"); empty when no code changed. */
export type BranchCheckResult = { kind: "passed" | "failed" | "skipped"; summary: string };

/**
 * After the last task: the run branch's checks on the merged result, once. The run's final
 * status reason says whether the branch is green.
 */
export async function branchChecks(
  scope: RunScope,
  key: StepKey,
  sandbox: SandboxResolver,
): Promise<BranchCheckResult> {
  const stored = await storedResult<BranchCheckResult>(scope, key);
  if (stored) return stored.result;
  const run = await inTenant(scope, (tx) => loadRun(tx, scope));
  const repo = await runRepository(scope);
  const head = run?.headCommit ?? (await resolveCommit(repo.origin, `refs/heads/${repo.branch}`));
  let result: BranchCheckResult;
  const code = head
    ? (await changedPaths(repo.origin, repo.baseCommit, head)).filter((p) => !isDocumentationPath(p))
    : [];
  if (!head || !code.length) {
    // Nothing to say: a run of documents has no branch to check.
    result = { kind: "skipped", summary: "" };
  } else {
    const plan = await checkPlan(
      { orgId: scope.orgId, projectId: repo.projectId },
      { origin: repo.origin, commit: head },
    );
    if (!hasGateCommand(plan)) {
      result = {
        kind: "skipped",
        summary: "The branch was not checked: the project has no build, lint or test command.",
      };
    } else {
      const available = await sandbox();
      const target: CheckTarget = {
        orgId: scope.orgId,
        projectId: repo.projectId,
        runId: scope.runId,
        taskId: null,
        attempt: null,
        scope: "branch",
        branch: repo.branch,
        commitSha: head,
        stepKey: key,
      };
      const rows = await checkCommit(target, repo.origin, head, plan, available, null);
      const lines = rows.filter((r) => r.kind !== "install").map(checkLine);
      result = !available.available
        ? { kind: "skipped", summary: `The branch was not checked: ${NO_SANDBOX_MESSAGE.toLowerCase()}.` }
        : checksPassed(rows)
          ? { kind: "passed", summary: `The run branch is green: ${lines.join("; ")}.` }
          : { kind: "failed", summary: `The run branch is red: ${lines.join("; ")}.` };
    }
  }
  return once(scope, key, async () => result);
}

/** The checks of an attempt, for its reviewer. */
export async function attemptChecksText(scope: RunScope, taskId: string, attempt: number): Promise<string> {
  const rows = await inTenant(scope, (tx) =>
    tx
      .select()
      .from(checks)
      .where(
        and(
          eq(checks.orgId, scope.orgId),
          eq(checks.runId, scope.runId),
          eq(checks.taskId, taskId),
          eq(checks.attempt, attempt),
          eq(checks.scope, "task"),
        ),
      )
      .orderBy(asc(checks.createdAt)),
  );
  return checksSection(rows);
}

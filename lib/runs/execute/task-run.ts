import type { ModelMessage } from "ai";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { approvals, artifacts, runEvents, runTasks } from "@/db/schema";
import { ARTIFACT_KINDS, type ArtifactKind } from "@/lib/agents/artifact-kinds";
import { REVIEWER_SLUG } from "@/lib/agents/catalog";
import { normalizeVerdict, reviewVerdictSchema } from "@/lib/agents/verdict";
import { assembleContext } from "@/lib/runs/context";
import { appendRunEvents } from "@/lib/runs/event-log";
import type { TaskStatus } from "@/lib/runs/schedule";
import { schedule } from "@/lib/runs/schedule";
import { generateStructured } from "./agent-call";
import type { TurnOutcome } from "./agent-turn";
import { toRunFailure } from "./failure";
import { relevantKnowledge } from "./knowledge-context";
import { derivedId, once, type StepKey, storedResult } from "./once";
import { attemptRepositoryMap, taskChanges } from "./repo-context";
import { type AttemptWorkspace, artifactFilePath, recordTaskWork } from "./repo-work";
import {
  agentOf,
  answeredQuestions,
  baseContext,
  inTenant,
  latestArtifacts,
  loadEnvironment,
  loadRun,
  loadTask,
  loadTasks,
  QUESTION_TITLE_PREFIX,
  type TaskRow,
  toRef,
} from "./state";
import { attemptChecksText } from "./task-checks";
import { BudgetExhaustedError, type ModelResolver, RunCancelledError, type RunScope } from "./types";

export const WAITING_FOR_WORKER = "Waiting for an external worker to claim it.";

type StatusExtra = { reason?: string; attempts?: number; from?: TaskStatus[] };

/** Sets a task's status (only if the run is still live) with its `task.status` event, once per step. */
export async function setTaskStatus(
  scope: RunScope,
  taskId: string,
  status: TaskStatus,
  extra: StatusExtra,
  key: StepKey,
): Promise<boolean> {
  return once(scope, key, (tx) => setTaskStatusIn(tx, scope, taskId, status, extra));
}

async function setTaskStatusIn(
  tx: Tx,
  scope: RunScope,
  taskId: string,
  status: TaskStatus,
  extra: StatusExtra = {},
): Promise<boolean> {
  {
    const now = new Date();
    const updated = await tx
      .update(runTasks)
      .set({
        status,
        statusReason: extra.reason ?? null,
        ...(extra.attempts !== undefined ? { attempts: extra.attempts } : {}),
        ...(status === "in_progress" ? { startedAt: sql`coalesce(${runTasks.startedAt}, now())` } : {}),
        ...(status === "done" || status === "failed" ? { finishedAt: now } : {}),
      })
      .where(
        and(
          eq(runTasks.orgId, scope.orgId),
          eq(runTasks.runId, scope.runId),
          eq(runTasks.id, taskId),
          // A cancelled task stays cancelled whatever a late step thinks.
          sql`${runTasks.status} <> 'cancelled'`,
          ...(extra.from ? [inArray(runTasks.status, extra.from)] : []),
        ),
      )
      .returning({ id: runTasks.id });
    if (!updated.length) return false;
    await appendRunEvents(tx, scope, [{ type: "task.status", taskId, status, reason: extra.reason }]);
    return true;
  }
}

export type Round = {
  start: { id: string; attempts: number; needsApproval: boolean }[];
  /** Pending approvals the run waits on (task results, escalations, agents' questions). */
  pendingApprovals: string[];
  /** Tasks waiting for an external worker (results stored before external workers lack it). */
  external?: string[];
  finished: boolean;
  stuck: boolean;
  failedTasks: number;
  /** The run was cancelled meanwhile: nothing more starts. */
  cancelled: boolean;
};

/**
 * Picks the tasks to start now and marks them in progress (once: a re-run returns the same pick).
 * Picks of one run are serialized, so two tasks finishing together never start one task twice.
 * With `unlessSpent`, nothing starts once the budget is spent (a pick after a task, not a round).
 */
export async function scheduleRound(
  scope: RunScope,
  maxParallel: number,
  key: StepKey,
  { unlessSpent = false } = {},
): Promise<Round> {
  return once(scope, key, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`schedule:${scope.runId}`}))`);
    const run = await loadRun(tx, scope);
    const tasks = await loadTasks(tx, scope);
    const idle: Round = {
      start: [],
      pendingApprovals: [],
      finished: false,
      stuck: false,
      failedTasks: 0,
      cancelled: false,
    };
    if (!run || run.status === "cancelled") return { ...idle, cancelled: true };
    if (unlessSpent && run.inputTokens + run.outputTokens >= run.tokenBudget) return idle;
    const decision = schedule(
      tasks.map((t) => ({
        key: t.key,
        status: t.status,
        dependsOn: t.dependsOn,
        priority: t.priority,
        order: t.position,
      })),
      { maxParallel },
    );
    const byKey = new Map(tasks.map((t) => [t.key, t]));
    const picked = decision.start.map((key) => byKey.get(key) as TaskRow);
    // An external worker's task is not dispatched to our agents: it waits for a worker to claim it.
    const handedOut = picked.filter((t) => t.worker === "external");
    const start = picked.filter((t) => t.worker !== "external");
    if (handedOut.length) {
      await tx
        .update(runTasks)
        .set({ status: "waiting_worker", statusReason: WAITING_FOR_WORKER })
        .where(
          and(
            eq(runTasks.orgId, scope.orgId),
            inArray(
              runTasks.id,
              handedOut.map((t) => t.id),
            ),
          ),
        );
      await appendRunEvents(
        tx,
        scope,
        handedOut.map((t) => ({
          type: "task.status" as const,
          taskId: t.id,
          status: "waiting_worker" as const,
          reason: WAITING_FOR_WORKER,
        })),
      );
    }
    for (const task of start) {
      await tx
        .update(runTasks)
        .set({
          status: "in_progress",
          statusReason: null,
          startedAt: sql`coalesce(${runTasks.startedAt}, now())`,
        })
        .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, task.id)));
    }
    if (start.length) {
      await appendRunEvents(
        tx,
        scope,
        start.map((t) => ({ type: "task.status" as const, taskId: t.id, status: "in_progress" as const })),
      );
    }
    // Pending approvals, and the latest approval of each blocked task even if already decided
    // (a decision can land between the task blocking and the run starting to wait).
    const rows = await tx
      .select({ id: approvals.id, taskId: approvals.taskId, status: approvals.status })
      .from(approvals)
      .where(and(eq(approvals.orgId, scope.orgId), eq(approvals.runId, scope.runId)))
      .orderBy(desc(approvals.createdAt));
    const blocked = new Set(tasks.filter((t) => t.status === "blocked").map((t) => t.id));
    const pending = new Set(rows.filter((r) => r.status === "pending").map((r) => r.id));
    for (const taskId of blocked) {
      const latest = rows.find((r) => r.taskId === taskId);
      if (latest) pending.add(latest.id);
    }
    const external = [
      ...tasks.filter((t) => t.status === "waiting_worker").map((t) => t.id),
      ...handedOut.map((t) => t.id),
    ];
    return {
      start: start.map((t) => ({ id: t.id, attempts: t.attempts, needsApproval: t.needsApproval })),
      pendingApprovals: [...pending],
      external,
      finished: decision.finished && handedOut.length === 0,
      stuck: decision.stuck && pending.size === 0 && external.length === 0,
      failedTasks: tasks.filter((t) => t.status === "failed").length,
      cancelled: false,
    };
  });
}

export type WorkResult =
  | { kind: "review"; artifactId: string | null }
  | { kind: "question"; approvalId: string }
  | { kind: "budget" }
  | { kind: "cancelled" };

const isKind = (k: string): k is ArtifactKind => (ARTIFACT_KINDS as readonly string[]).includes(k);
const BUDGET_PAUSE = "Paused: the run's token budget is spent.";

export type AgentPrompt = { instructions: string; messages: ModelMessage[] };
export type WorkPlan =
  | { kind: "ready"; prompt: AgentPrompt; expected: string | null }
  | { kind: "cancelled" };

/** The task's description with the notes the team (and IDE agents) keep on the task and the project. */
export function withTeamContext(description: string, taskContext: string, projectContext: string): string {
  const parts = [description];
  if (projectContext.trim()) parts.push(`Project context from the team:\n${projectContext.trim()}`);
  if (taskContext.trim()) parts.push(`Task context from the team:\n${taskContext.trim()}`);
  return parts.join("\n\n");
}

/** The prompt of one attempt of a task's agent (its context, read once for all its model calls). */
export async function prepareWork(
  scope: RunScope,
  taskId: string,
  attempt: number,
  reviewFeedback: string[],
  ws?: { base: string; start: string },
): Promise<WorkPlan> {
  const env = await loadEnvironment(scope);
  const loaded = await inTenant(scope, async (tx) => {
    const task = await loadTask(tx, scope, taskId);
    const tasks = await loadTasks(tx, scope);
    const arts = await latestArtifacts(tx, scope);
    const answers = await answeredQuestions(tx, scope, taskId);
    return { task, tasks, arts, answers };
  });
  const { task, tasks, arts, answers } = loaded;
  // Not ours to work any more (cancelled, or reset by a new execution of the run).
  if (task?.status !== "in_progress") return { kind: "cancelled" };
  const agent = agentOf(env, task.agentSlug).definition;
  const keyOf = new Map(tasks.map((t) => [t.id, t.key]));
  const depIds = new Set(tasks.filter((t) => task.dependsOn.includes(t.key)).map((t) => t.id));
  const inputs = arts
    .filter((a) => a.taskId && depIds.has(a.taskId))
    .map((a) => toRef(a, keyOf.get(a.taskId ?? "")));
  const previous = arts.find((a) => a.taskId === task.id);
  const expected = agent.artifactKinds.find((k) => k !== "plan" && k !== "review_verdict") ?? null;
  const repository = ws ? await attemptRepositoryMap(scope, taskId, ws) : undefined;
  const knowledge = await relevantKnowledge(scope, env.project.id, `${task.title}\n${task.description}`);
  const ctx = assembleContext({
    purpose: "task",
    agent,
    ...baseContext(env, tasks),
    repository,
    knowledge,
    task: {
      key: task.key,
      title: task.title,
      description: withTeamContext(task.description, task.context, env.projectContext),
      acceptanceCriteria: task.acceptanceCriteria,
      priority: task.priority,
      assignee: task.agentSlug,
      expectedArtifactKind: expected ?? undefined,
      attempt,
      reviewFeedback: reviewFeedback.length ? reviewFeedback : undefined,
      previousArtifact: reviewFeedback.length && previous ? toRef(previous, task.key) : undefined,
      humanAnswers: answers.length ? answers : undefined,
    },
    artifacts: inputs,
  });
  return { kind: "ready", prompt: { instructions: ctx.instructions, messages: ctx.messages }, expected };
}

/**
 * Ends one attempt after its model calls: a question blocks the task, a spent budget pauses it,
 * otherwise the reply is saved (for agents without write tools) and the task goes to review —
 * in one transaction with the step's result, so a re-run returns it and writes nothing.
 */
export async function finishWork(
  scope: RunScope,
  taskId: string,
  attempt: number,
  turn: TurnOutcome,
  expected: string | null,
  key: StepKey,
  ws?: AttemptWorkspace,
): Promise<WorkResult> {
  const stored = await storedResult<WorkResult>(scope, key);
  if (stored) return stored.result;
  const env = await loadEnvironment(scope);
  // The attempt's work becomes the task's work (what a merge takes), with the reply document
  // of an agent that answered in text; written before the result, the same commit on a re-run.
  // Only while the attempt is still the task's current one: a worker that stalled past its step
  // (the step reclaimed, the task moved on) must not overwrite a later attempt's work.
  const current =
    ws && turn.kind === "done" ? await inTenant(scope, (tx) => loadTask(tx, scope, taskId)) : null;
  if (ws && turn.kind === "done" && current?.status === "in_progress" && current.attempts < attempt) {
    const task = current;
    const reply = !turn.artifactId && turn.text.trim() && expected && isKind(expected);
    const files = reply && task ? [{ path: artifactFilePath(expected, task.title), content: turn.text }] : [];
    await recordTaskWork(scope, taskId, ws, turn.snapshot, files);
  }
  return once(scope, key, async (tx): Promise<WorkResult> => {
    if (turn.kind === "cancelled") return { kind: "cancelled" };
    if (turn.kind === "budget") {
      await setTaskStatusIn(tx, scope, taskId, "todo", { reason: BUDGET_PAUSE });
      return { kind: "budget" };
    }
    if (turn.questionApprovalId) {
      await setTaskStatusIn(tx, scope, taskId, "blocked", { reason: "Waiting for an answer from the team." });
      return { kind: "question", approvalId: turn.questionApprovalId };
    }
    const task = await loadTask(tx, scope, taskId);
    if (!task) return { kind: "cancelled" };
    let artifactId = turn.artifactId;
    // Agents without write tools reply with the artifact itself; it is saved for them.
    if (!artifactId && turn.text.trim() && expected && isKind(expected)) {
      artifactId = await saveReply(tx, scope, env.project.id, task, task.agentSlug, expected, turn.text, key);
    }
    const moved = await setTaskStatusIn(tx, scope, taskId, "review", {
      attempts: attempt,
      from: ["in_progress"],
    });
    return moved ? { kind: "review", artifactId } : { kind: "cancelled" };
  });
}

async function saveReply(
  tx: Tx,
  scope: RunScope,
  projectId: string,
  task: TaskRow,
  agentSlug: string,
  kind: ArtifactKind,
  text: string,
  key: StepKey,
): Promise<string> {
  const id = derivedId(scope.runId, key, "reply");
  const inserted = await tx
    .insert(artifacts)
    .values({
      id,
      orgId: scope.orgId,
      projectId,
      runId: scope.runId,
      taskId: task.id,
      artifactKey: id,
      version: 1,
      kind,
      title: task.title,
      content: text,
      summary: text.replace(/\s+/g, " ").slice(0, 400),
      agentSlug,
    })
    .onConflictDoNothing()
    .returning({ id: artifacts.id });
  if (inserted.length) {
    await appendRunEvents(tx, scope, [
      { type: "artifact.saved", artifactId: id, taskId: task.id, kind, title: task.title, version: 1 },
    ]);
  }
  return id;
}

export type ReviewResult =
  /** `checksFailed`: the project's checks failed on the attempt's commit (the reviewer was not asked). */
  | { kind: "verdict"; verdict: "pass" | "fail"; reasons: string[]; checksFailed?: boolean }
  | { kind: "budget" }
  | { kind: "cancelled" };

/** The reviewer gate: a structured verdict against the task's acceptance criteria. */
export async function reviewAttempt(
  scope: RunScope,
  resolve: ModelResolver,
  taskId: string,
  artifactId: string | null,
  attempt: number,
  key: StepKey,
): Promise<ReviewResult> {
  const stored = await storedResult<ReviewResult>(scope, key);
  if (stored) return stored.result;
  const env = await loadEnvironment(scope);
  const { task, tasks, subject } = await inTenant(scope, async (tx) => {
    const [art] = artifactId
      ? await tx
          .select()
          .from(artifacts)
          .where(and(eq(artifacts.orgId, scope.orgId), eq(artifacts.id, artifactId)))
          .limit(1)
      : [];
    return { task: await loadTask(tx, scope, taskId), tasks: await loadTasks(tx, scope), subject: art };
  });
  if (task?.status !== "review") return { kind: "cancelled" };
  // Work done in the repository is reviewed as a patch (with the artifact, or as the subject
  // itself), beside the results of the project's checks on the attempt's commit.
  const [patch, checkText] = await Promise.all([
    taskChanges(scope, taskId),
    attemptChecksText(scope, taskId, attempt),
  ]);
  const changes = patch && checkText ? `${patch}\n\n${checkText}` : patch;
  const reviewed = subject
    ? {
        ...toRef(subject, task.key),
        content: changes
          ? `${subject.content}\n\n## Changes in the repository\n\n${changes}`
          : subject.content,
      }
    : changes
      ? {
          id: `changes-${task.id}`,
          title: `Changes of ${task.key}: ${task.title}`,
          kind: "code" as const,
          version: attempt,
          summary: "The task's changes to the repository, as a patch against where it started.",
          author: task.agentSlug,
          taskKey: task.key,
          content: changes,
        }
      : null;

  let verdict: { verdict: "pass" | "fail"; reasons: string[] };
  if (!reviewed) {
    verdict = {
      verdict: "fail",
      reasons: [
        "Nothing was submitted: change the repository with the file tools, or write the task's artifact with write_artifact.",
      ],
    };
  } else {
    const reviewer = agentOf(env, REVIEWER_SLUG).definition;
    const ctx = assembleContext({
      purpose: "review",
      agent: reviewer,
      ...baseContext(env, tasks),
      task: {
        key: task.key,
        title: task.title,
        description: task.description,
        acceptanceCriteria: task.acceptanceCriteria,
        priority: task.priority,
        assignee: task.agentSlug,
        attempt,
      },
      subject: reviewed,
    });
    const model = await resolve(scope.orgId, reviewer.modelTier, reviewer);
    let output: unknown;
    try {
      output = await generateStructured(
        { scope, taskId, agentSlug: REVIEWER_SLUG, model, key },
        ctx,
        reviewVerdictSchema,
      );
    } catch (error) {
      if (error instanceof BudgetExhaustedError) {
        return once(scope, key, async (tx) => {
          await setTaskStatusIn(tx, scope, taskId, "todo", { reason: BUDGET_PAUSE });
          return { kind: "budget" } as ReviewResult;
        });
      }
      if (error instanceof RunCancelledError) return { kind: "cancelled" };
      throw toRunFailure(error);
    }
    const parsed = reviewVerdictSchema.safeParse(output);
    verdict = parsed.success
      ? normalizeVerdict(parsed.data)
      : {
          verdict: "fail",
          reasons: ["The reviewer's verdict could not be read; revise against the acceptance criteria."],
        };
  }
  return once(scope, key, async (tx): Promise<ReviewResult> => {
    await appendRunEvents(tx, scope, [
      { type: "review.verdict", taskId, verdict: verdict.verdict, reasons: verdict.reasons, attempt },
    ]);
    return { kind: "verdict", verdict: verdict.verdict, reasons: verdict.reasons };
  });
}
/** Pauses the task for a person: a result to approve, or an escalation after failed reviews. */
export async function requestApproval(
  scope: RunScope,
  taskId: string,
  kind: "gate" | "escalation" | "checks",
  reasons: string[],
  key: StepKey,
): Promise<string> {
  const env = await loadEnvironment(scope);
  return once(scope, key, async (tx) => {
    const task = await loadTask(tx, scope, taskId);
    if (!task) throw new Error("Task not found");
    const gate = env.template.approvalGates.find((g) => g.phase === task.phaseKey);
    const title =
      kind === "gate"
        ? `${gate?.title ?? "Approve the result"}: ${task.title}`
        : kind === "checks"
          ? `Checks failed: ${task.title}`
          : `Review failed: ${task.title}`;
    const prompt =
      kind === "gate"
        ? `${gate?.description ?? "A person accepts this result before work builds on it."}\nApprove to let dependent tasks start; reject with a comment to fail the task.`
        : kind === "checks"
          ? `The project's checks still fail on this task's commit after ${task.attempts} attempts. The last failure:\n${reasons.join("\n")}\nApprove to accept the result as it is (its checks stay red), or reject with a comment to fail the task.`
          : `The reviewer failed this task after ${task.attempts} attempts:\n${reasons.map((r) => `- ${r}`).join("\n")}\nApprove to accept the result as it is, or reject with a comment to fail the task.`;
    const [row] = await tx
      .insert(approvals)
      .values({
        orgId: scope.orgId,
        runId: scope.runId,
        taskId,
        title,
        prompt,
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
      })
      .returning({ id: approvals.id });
    if (!row) throw new Error("Approval was not saved");
    await tx
      .update(runTasks)
      .set({
        status: "blocked",
        statusReason: kind === "gate" ? "Waiting for approval." : "Escalated to a person.",
      })
      .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, taskId)));
    await appendRunEvents(tx, scope, [
      {
        type: "task.status",
        taskId,
        status: "blocked",
        reason: kind === "gate" ? "Waiting for approval." : "Escalated to a person.",
      },
      { type: "approval.requested", approvalId: row.id, taskId, title, prompt },
    ]);
    return row.id;
  });
}

export type ApprovalState = {
  status: "pending" | "approved" | "rejected" | "timed_out";
  comment: string | null;
};

export async function approvalState(scope: RunScope, approvalId: string): Promise<ApprovalState | null> {
  const [row] = await inTenant(scope, (tx) =>
    tx
      .select({ status: approvals.status, comment: approvals.comment })
      .from(approvals)
      .where(
        and(eq(approvals.orgId, scope.orgId), eq(approvals.runId, scope.runId), eq(approvals.id, approvalId)),
      ),
  );
  return row ?? null;
}

/**
 * Applies a person's decision to the task it concerns. A result approved → done; rejected or timed
 * out → failed with the comment (a member can retry it). An answered question sends the task back
 * to its agent with the answer.
 */
export async function applyApproval(
  scope: RunScope,
  approvalId: string,
  decided: { decision: "approved" | "rejected" | "timed_out"; comment: string | null },
  key: StepKey,
): Promise<void> {
  await once(scope, key, async (tx) => {
    const [row] = await tx
      .select()
      .from(approvals)
      .where(and(eq(approvals.orgId, scope.orgId), eq(approvals.id, approvalId)))
      .for("update");
    if (!row) return;
    if (row.status === "pending") {
      await tx
        .update(approvals)
        .set({ status: decided.decision, comment: decided.comment, decidedAt: new Date() })
        .where(and(eq(approvals.orgId, scope.orgId), eq(approvals.id, approvalId)));
    }
    const decision = row.status === "pending" ? decided.decision : row.status;
    const comment = row.status === "pending" ? decided.comment : row.comment;
    const events: Parameters<typeof appendRunEvents>[2] = [];
    // decideApproval may already have logged the resolution; it is logged once.
    const [logged] = await tx
      .select({ id: runEvents.id })
      .from(runEvents)
      .where(
        and(
          eq(runEvents.orgId, scope.orgId),
          eq(runEvents.runId, scope.runId),
          eq(runEvents.type, "approval.resolved"),
          sql`${runEvents.data}->>'approvalId' = ${approvalId}`,
        ),
      )
      .limit(1);
    if (!logged) {
      events.push({
        type: "approval.resolved",
        approvalId,
        decision: decision as "approved" | "rejected" | "timed_out",
        comment,
        decidedBy: row.decidedById,
      });
    }
    if (row.taskId) {
      const question = row.title.startsWith(QUESTION_TITLE_PREFIX);
      const status: TaskStatus = question ? "todo" : decision === "approved" ? "done" : "failed";
      const reason = question
        ? "Answered; back to the agent."
        : decision === "approved"
          ? undefined
          : decision === "timed_out"
            ? "Nobody decided the approval in time."
            : `Rejected${comment ? `: ${comment}` : "."}`;
      const changed = await tx
        .update(runTasks)
        .set({
          status,
          statusReason: reason ?? null,
          ...(status === "done" || status === "failed" ? { finishedAt: new Date() } : {}),
        })
        .where(
          and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, row.taskId), eq(runTasks.status, "blocked")),
        )
        .returning({ id: runTasks.id });
      if (changed.length) events.push({ type: "task.status", taskId: row.taskId, status, reason });
    }
    await appendRunEvents(tx, scope, events);
    return null;
  });
}

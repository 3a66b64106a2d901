import { z } from "zod";
import { CHECK_KINDS, CHECK_SCOPES, CHECK_STATUSES, SANDBOX_DRIVER_NAMES } from "@/lib/checks/kinds";
import { TASK_PRIORITIES } from "./plan";
import { TASK_STATUSES } from "./schedule";

/**
 * Everything a run does is appended to its event log (table run_events, ordered by `seq` per run)
 * and streamed to every viewer. This is the one contract between the run function that writes
 * events and the pages that render them.
 */
export const RUN_STATUSES = [
  "queued",
  "planning",
  "running",
  "waiting_approval",
  "completed",
  "failed",
  "cancelled",
  "budget_exhausted",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINAL_RUN_STATUSES: readonly RunStatus[] = [
  "completed",
  "failed",
  "cancelled",
  "budget_exhausted",
];

const taskSnapshot = z.object({
  id: z.string(),
  key: z.string(),
  title: z.string(),
  description: z.string(),
  phaseKey: z.string(),
  agentSlug: z.string(),
  priority: z.enum(TASK_PRIORITIES),
  status: z.enum(TASK_STATUSES),
  dependsOn: z.array(z.string()),
  acceptanceCriteria: z.array(z.string()),
  parentTaskId: z.string().nullable().optional(),
  /** Who works it: one of our agents (the default) or an external worker (an IDE agent). */
  worker: z.enum(["agent", "external"]).optional(),
  needsApproval: z.boolean().optional(),
});
export type TaskSnapshot = z.infer<typeof taskSnapshot>;

const usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});

export const runEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run.status"), status: z.enum(RUN_STATUSES), reason: z.string().optional() }),
  z.object({
    type: z.literal("run.plan"),
    phases: z.array(z.object({ key: z.string(), title: z.string() })),
    tasks: z.array(taskSnapshot),
  }),
  z.object({ type: z.literal("task.added"), task: taskSnapshot }),
  /**
   * A person (or an API key) changed the plan of a running run: `tasks` are the added or changed
   * tasks as they are now, `removed` the ids of deleted tasks, `order` every task id in plan order
   * after a re-order, `phases` the run's phases when a task opened a new one.
   */
  z.object({
    type: z.literal("plan.edited"),
    op: z.enum(["add", "update", "remove", "reorder", "context"]),
    tasks: z.array(taskSnapshot),
    removed: z.array(z.string()).optional(),
    order: z.array(z.string()).optional(),
    phases: z.array(z.object({ key: z.string(), title: z.string() })).optional(),
    by: z.string().nullable(),
  }),
  /** A member approved the plan of a run started with "review the plan first". */
  z.object({ type: z.literal("plan.approved"), by: z.string().nullable() }),
  z.object({
    type: z.literal("task.status"),
    taskId: z.string(),
    status: z.enum(TASK_STATUSES),
    reason: z.string().optional(),
  }),
  /** A chunk of an agent's streamed output (text, or a document being written through a tool). */
  z.object({
    type: z.literal("agent.delta"),
    taskId: z.string().nullable(),
    agentSlug: z.string(),
    delta: z.string(),
  }),
  z.object({
    type: z.literal("agent.tool-call"),
    taskId: z.string().nullable(),
    agentSlug: z.string(),
    toolCallId: z.string(),
    toolName: z.string(),
    input: z.unknown(),
  }),
  z.object({
    type: z.literal("agent.tool-result"),
    taskId: z.string().nullable(),
    agentSlug: z.string(),
    toolCallId: z.string(),
    toolName: z.string(),
    output: z.unknown(),
  }),
  z.object({
    type: z.literal("artifact.saved"),
    artifactId: z.string(),
    taskId: z.string().nullable(),
    kind: z.string(),
    title: z.string(),
    version: z.number().int().positive(),
  }),
  z.object({
    type: z.literal("review.verdict"),
    taskId: z.string(),
    verdict: z.enum(["pass", "fail"]),
    reasons: z.array(z.string()),
    attempt: z.number().int().positive(),
  }),
  z.object({
    type: z.literal("approval.requested"),
    approvalId: z.string(),
    taskId: z.string().nullable(),
    title: z.string(),
    prompt: z.string(),
  }),
  z.object({
    type: z.literal("approval.resolved"),
    approvalId: z.string(),
    decision: z.enum(["approved", "rejected", "timed_out"]),
    comment: z.string().nullable(),
    decidedBy: z.string().nullable(),
  }),
  z.object({
    type: z.literal("usage"),
    taskId: z.string().nullable(),
    agentSlug: z.string(),
    modelId: z.string(),
    latencyMs: z.number().nonnegative(),
    ...usage.shape,
  }),
  /** A file an agent changed in its task's working tree through a repository tool. */
  z.object({
    type: z.literal("file.changed"),
    taskId: z.string().nullable(),
    agentSlug: z.string(),
    change: z.enum(["added", "modified", "deleted", "moved"]),
    path: z.string(),
    from: z.string().optional(),
    added: z.number().int().nonnegative(),
    removed: z.number().int().nonnegative(),
  }),
  /** An accepted task's work, committed to the run branch (`sha`), or a merge that conflicted. */
  z.object({
    type: z.literal("task.committed"),
    taskId: z.string(),
    sha: z.string(),
    branch: z.string(),
    message: z.string(),
    files: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal("task.conflict"),
    taskId: z.string(),
    branch: z.string(),
    files: z.array(z.string()),
  }),
  /** The run branch was pushed to the project's remote (and a pull request opened, for GitHub). */
  z.object({
    type: z.literal("run.pushed"),
    branch: z.string(),
    remote: z.string(),
    sha: z.string(),
    pullRequestUrl: z.string().nullable(),
  }),
  /**
   * A command run in the sandbox (an agent's run_command, or one check): started, its output in
   * chunks as it comes (bounded; the check keeps the full head and tail), and how it ended.
   */
  z.object({
    type: z.literal("command.started"),
    execId: z.string(),
    taskId: z.string().nullable(),
    agentSlug: z.string().nullable(),
    command: z.string(),
    purpose: z.enum(["command", "check"]),
    kind: z.enum(CHECK_KINDS).optional(),
    driver: z.enum(SANDBOX_DRIVER_NAMES),
    network: z.boolean(),
  }),
  z.object({
    type: z.literal("command.output"),
    execId: z.string(),
    taskId: z.string().nullable(),
    chunk: z.string(),
  }),
  z.object({
    type: z.literal("command.finished"),
    execId: z.string(),
    taskId: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    /** exited, or the limit that stopped it (wall_time, cpu_time, memory, processes, output). */
    outcome: z.string(),
    durationMs: z.number().nonnegative(),
    outputBytes: z.number().int().nonnegative(),
    truncated: z.boolean(),
  }),
  /** A check stored on a commit (see db/schema/checks.ts). */
  z.object({
    type: z.literal("check.recorded"),
    checkId: z.string(),
    taskId: z.string().nullable(),
    attempt: z.number().int().nullable(),
    scope: z.enum(CHECK_SCOPES),
    kind: z.enum(CHECK_KINDS),
    command: z.string(),
    status: z.enum(CHECK_STATUSES),
    exitCode: z.number().int().nullable(),
    durationMs: z.number().nonnegative(),
    passed: z.number().int().nonnegative().nullable(),
    failed: z.number().int().nonnegative().nullable(),
    commitSha: z.string().nullable(),
  }),
  /** This host cannot execute code (no bubblewrap or Docker): the run goes on without execution. */
  z.object({
    type: z.literal("sandbox.unavailable"),
    taskId: z.string().nullable(),
    message: z.string(),
  }),
  z.object({
    type: z.literal("insight"),
    taskId: z.string().nullable(),
    agentSlug: z.string(),
    text: z.string(),
  }),
]);

export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventType = RunEvent["type"];

/** An event as stored and streamed: its position in the run's log and when it happened. */
export type StoredRunEvent = RunEvent & { seq: number; at: string };

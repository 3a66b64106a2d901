import { isDemoModel } from "@/lib/ai/demo-label";
import type { CheckKind, CheckScope, CheckStatus, SandboxDriverName } from "@/lib/checks/kinds";
import { FINAL_RUN_STATUSES, type RunStatus, type StoredRunEvent, type TaskSnapshot } from "./events";

/**
 * What the run page shows, folded from the run's event log. Pure and immutable: the same events
 * give the same state, whether they arrive in the server-rendered replay or live from the stream.
 * Events at or below `lastSeq` are ignored, so replay and live overlap without duplicates.
 */

export type TaskVerdict = { verdict: "pass" | "fail"; reasons: string[]; attempt: number; at: string };

export type RunViewTask = TaskSnapshot & {
  /** How many times an agent has worked on the task (a rework or a retry is a new attempt). */
  attempts: number;
  verdicts: TaskVerdict[];
  lastVerdict: TaskVerdict | null;
  /** Why the task has its current status (e.g. why it failed or is blocked), when the run said. */
  statusReason: string | null;
  updatedAt: string | null;
};

export type FeedItem =
  | { kind: "text"; key: string; text: string; at: string }
  | {
      kind: "tool";
      key: string;
      toolCallId: string;
      toolName: string;
      input: unknown;
      output: unknown;
      done: boolean;
      at: string;
    }
  | { kind: "insight"; key: string; text: string; at: string }
  /** A file the agent changed in its working tree. */
  | {
      kind: "file";
      key: string;
      change: "added" | "modified" | "deleted" | "moved";
      path: string;
      from?: string;
      added: number;
      removed: number;
      at: string;
    }
  /** The task's accepted work, committed to the run branch (files 0: nothing to commit). */
  | { kind: "commit"; key: string; sha: string; message: string; files: number; at: string }
  | { kind: "conflict"; key: string; files: string[]; at: string }
  /** A command run in the sandbox; its output and end live in `RunViewState.commands[execId]`. */
  | { kind: "command"; key: string; execId: string; at: string }
  /** A check stored on a commit; the result lives in `RunViewState.checks[checkId]`. */
  | { kind: "check"; key: string; checkId: string; at: string }
  /** This host cannot execute code: the run goes on without execution. */
  | { kind: "sandbox"; key: string; message: string; at: string };

/** A command run in the sandbox, growing as its output arrives. */
export type RunCommand = {
  execId: string;
  taskId: string | null;
  agentSlug: string | null;
  command: string;
  purpose: "command" | "check";
  kind: CheckKind | null;
  driver: SandboxDriverName;
  network: boolean;
  /** The output so far: its tail when it passed `MAX_COMMAND_OUTPUT_CHARS` (see `droppedChars`). */
  output: string;
  /** Characters of output dropped from the head in this view (the check's log keeps them). */
  droppedChars: number;
  running: boolean;
  exitCode: number | null;
  /** exited, or the limit that stopped it (wall_time, cpu_time, memory, processes, output). */
  outcome: string | null;
  durationMs: number | null;
  outputBytes: number;
  /** The sandbox cut the output (head and tail kept). */
  truncated: boolean;
  startedAt: string;
  finishedAt: string | null;
  /** The check this command's result was stored as, once recorded. */
  checkId: string | null;
};

/** A check as the run's events announce it (the log and details come from the checks route). */
export type RunCheck = {
  id: string;
  taskId: string | null;
  attempt: number | null;
  scope: CheckScope;
  kind: CheckKind;
  command: string;
  status: CheckStatus;
  exitCode: number | null;
  durationMs: number;
  passed: number | null;
  failed: number | null;
  commitSha: string | null;
  /** How it ran, from its command's start (null when no command ran, e.g. skipped). */
  driver: SandboxDriverName | null;
  execId: string | null;
  at: string;
};

export type RunSandboxState = {
  /** Set when the run said this host cannot execute code. */
  unavailable: { message: string; taskId: string | null; at: string } | null;
  /** Some command ran on the host without a sandbox (the operator's explicit setting). */
  unsandboxed: boolean;
};

/** How much of a command's output the page keeps in memory; the check's log has it all. */
export const MAX_COMMAND_OUTPUT_CHARS = 200_000;

/** One agent's work on one task (or on the run itself, e.g. the orchestrator's plan). */
export type FeedLane = {
  key: string;
  agentSlug: string;
  taskId: string | null;
  items: FeedItem[];
  lastSeq: number;
  updatedAt: string;
};

export type RunArtifactRef = {
  id: string;
  kind: string;
  title: string;
  taskId: string | null;
  versions: { version: number; at: string }[];
  latestVersion: number;
};

export type ApprovalStatus = "pending" | "approved" | "rejected" | "timed_out";

export type RunApproval = {
  id: string;
  taskId: string | null;
  title: string;
  prompt: string;
  status: ApprovalStatus;
  comment: string | null;
  decidedBy: string | null;
  requestedAt: string | null;
  resolvedAt: string | null;
};

export type UsageTotals = {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  calls: number;
  latencyMs: number;
};

export type RunTotals = UsageTotals & {
  byAgent: Record<string, UsageTotals>;
  byModel: Record<string, UsageTotals>;
};

/**
 * How the progress bar reads: still going, or how the run ended. A cancelled run is not a
 * finished one, however many of its remaining tasks were done when it stopped.
 */
export type ProgressState = "active" | "completed" | "failed" | "cancelled";

export type RunProgress = {
  state: ProgressState;
  /**
   * Tasks that count towards completion. While the run goes on, cancelled tasks are left out (they
   * will never be done); once the run itself is cancelled they count, so the bar shows how much
   * of the plan was done rather than a full bar.
   */
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  /** Tasks an agent or the reviewer is working on. */
  active: number;
  /** 0–100, done of total. */
  percent: number;
};

export type RunViewState = {
  status: RunStatus;
  statusReason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  phases: { key: string; title: string }[];
  tasks: Record<string, RunViewTask>;
  taskOrder: string[];
  lanes: Record<string, FeedLane>;
  laneOrder: string[];
  artifacts: Record<string, RunArtifactRef>;
  artifactOrder: string[];
  approvals: Record<string, RunApproval>;
  approvalOrder: string[];
  commands: Record<string, RunCommand>;
  commandOrder: string[];
  checks: Record<string, RunCheck>;
  checkOrder: string[];
  sandbox: RunSandboxState;
  totals: RunTotals;
  progress: RunProgress;
  /** Some output came from the scripted demo model and must be labelled as such. */
  usesDemoModel: boolean;
  /** When a member approved the plan of a run started with "review the plan first". */
  planApprovedAt: string | null;
  lastSeq: number;
};

export type RunViewSeed = {
  status: RunStatus;
  startedAt?: string | Date | null;
  finishedAt?: string | Date | null;
  /** The server knows before any usage event whether the run's agents use the demo model. */
  usesDemoModel?: boolean;
};

export const isFinalRunStatus = (status: RunStatus) => FINAL_RUN_STATUSES.includes(status);

/** Statuses in which agents may be producing output right now. */
export const isWorkingRunStatus = (status: RunStatus) => status === "planning" || status === "running";

const emptyUsage = (): UsageTotals => ({
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  calls: 0,
  latencyMs: 0,
});

const toIso = (value: string | Date | null | undefined) =>
  value == null ? null : value instanceof Date ? value.toISOString() : value;

export function initialRunViewState(run: RunViewSeed): RunViewState {
  return {
    status: run.status,
    statusReason: null,
    startedAt: toIso(run.startedAt),
    finishedAt: toIso(run.finishedAt),
    phases: [],
    tasks: {},
    taskOrder: [],
    lanes: {},
    laneOrder: [],
    artifacts: {},
    artifactOrder: [],
    approvals: {},
    approvalOrder: [],
    commands: {},
    commandOrder: [],
    checks: {},
    checkOrder: [],
    sandbox: { unavailable: null, unsandboxed: false },
    totals: { ...emptyUsage(), byAgent: {}, byModel: {} },
    progress: computeProgress([], run.status),
    usesDemoModel: run.usesDemoModel ?? false,
    planApprovedAt: null,
    lastSeq: 0,
  };
}

const progressStateOf = (status: RunStatus): ProgressState =>
  status === "completed" || status === "failed" || status === "cancelled" ? status : "active";

export function computeProgress(
  tasks: Iterable<Pick<RunViewTask, "status">>,
  runStatus: RunStatus,
): RunProgress {
  const state = progressStateOf(runStatus);
  const progress = { state, total: 0, done: 0, failed: 0, cancelled: 0, active: 0, percent: 0 };
  for (const task of tasks) {
    if (task.status === "cancelled") {
      progress.cancelled++;
      if (state === "cancelled") progress.total++;
      continue;
    }
    progress.total++;
    if (task.status === "done") progress.done++;
    else if (task.status === "failed") progress.failed++;
    else if (task.status === "in_progress" || task.status === "review") progress.active++;
  }
  progress.percent = progress.total ? Math.floor((progress.done / progress.total) * 100) : 0;
  return progress;
}

const laneKeyOf = (agentSlug: string, taskId: string | null) => `${agentSlug}:${taskId ?? "run"}`;

function addUsage(totals: UsageTotals | undefined, u: Omit<UsageTotals, "calls">): UsageTotals {
  const base = totals ?? emptyUsage();
  return {
    inputTokens: base.inputTokens + u.inputTokens,
    outputTokens: base.outputTokens + u.outputTokens,
    costUsd: base.costUsd + u.costUsd,
    calls: base.calls + 1,
    latencyMs: base.latencyMs + u.latencyMs,
  };
}

function toViewTask(snapshot: TaskSnapshot, previous: RunViewTask | undefined, at: string): RunViewTask {
  return {
    ...snapshot,
    attempts: previous?.attempts ?? (snapshot.status === "in_progress" ? 1 : 0),
    verdicts: previous?.verdicts ?? [],
    lastVerdict: previous?.lastVerdict ?? null,
    statusReason: previous?.statusReason ?? null,
    updatedAt: at,
  };
}

/**
 * A mutable working copy for one batch: each record is copied at most once per batch, so a burst
 * of deltas costs one copy, not one per event, and the input state is never mutated.
 */
class Draft {
  state: RunViewState;
  private copied = new Set<string>();
  tasksChanged = false;

  constructor(state: RunViewState) {
    this.state = { ...state };
  }

  private own<K extends "tasks" | "lanes" | "artifacts" | "approvals" | "totals" | "commands" | "checks">(
    key: K,
  ): RunViewState[K] {
    if (!this.copied.has(key)) {
      this.copied.add(key);
      this.state[key] = { ...this.state[key] };
    }
    return this.state[key];
  }

  private ownOrder(
    key: "taskOrder" | "laneOrder" | "artifactOrder" | "approvalOrder" | "commandOrder" | "checkOrder",
  ): string[] {
    if (!this.copied.has(key)) {
      this.copied.add(key);
      this.state[key] = [...this.state[key]];
    }
    return this.state[key];
  }

  setTask(task: RunViewTask) {
    const tasks = this.own("tasks");
    if (!tasks[task.id]) this.ownOrder("taskOrder").push(task.id);
    tasks[task.id] = task;
    this.tasksChanged = true;
  }

  removeTask(id: string) {
    if (!this.state.tasks[id]) return;
    const tasks = this.own("tasks");
    delete tasks[id];
    this.setTaskOrder(this.state.taskOrder.filter((t) => t !== id));
    this.tasksChanged = true;
  }

  setTaskOrder(order: string[]) {
    this.copied.add("taskOrder");
    this.state.taskOrder = order;
  }

  /** The lane for an agent's work on a task, copied for editing (its items array too). */
  lane(agentSlug: string, taskId: string | null, seq: number, at: string): FeedLane {
    const key = laneKeyOf(agentSlug, taskId);
    const lanes = this.own("lanes");
    const laneCopyKey = `lane:${key}`;
    const existing = lanes[key];
    if (!existing) {
      this.ownOrder("laneOrder").push(key);
      this.copied.add(laneCopyKey);
      lanes[key] = { key, agentSlug, taskId, items: [], lastSeq: seq, updatedAt: at };
    } else if (!this.copied.has(laneCopyKey)) {
      this.copied.add(laneCopyKey);
      lanes[key] = { ...existing, items: [...existing.items] };
    }
    const lane = lanes[key] as FeedLane;
    lane.lastSeq = seq;
    lane.updatedAt = at;
    return lane;
  }

  setArtifact(artifact: RunArtifactRef) {
    const artifacts = this.own("artifacts");
    if (!artifacts[artifact.id]) this.ownOrder("artifactOrder").push(artifact.id);
    artifacts[artifact.id] = artifact;
  }

  setApproval(approval: RunApproval) {
    const approvals = this.own("approvals");
    if (!approvals[approval.id]) this.ownOrder("approvalOrder").push(approval.id);
    approvals[approval.id] = approval;
  }

  totals(): RunTotals {
    return this.own("totals");
  }

  /** The command for editing: copied once per batch, so a burst of output chunks costs one copy. */
  command(execId: string): RunCommand | undefined {
    const existing = this.state.commands[execId];
    if (!existing) return undefined;
    const commands = this.own("commands");
    const copyKey = `command:${execId}`;
    if (!this.copied.has(copyKey)) {
      this.copied.add(copyKey);
      commands[execId] = { ...existing };
    }
    return commands[execId];
  }

  addCommand(command: RunCommand) {
    const commands = this.own("commands");
    if (!commands[command.execId]) this.ownOrder("commandOrder").push(command.execId);
    this.copied.add(`command:${command.execId}`);
    commands[command.execId] = command;
  }

  setCheck(check: RunCheck) {
    const checks = this.own("checks");
    if (!checks[check.id]) this.ownOrder("checkOrder").push(check.id);
    checks[check.id] = check;
  }
}

function apply(draft: Draft, event: StoredRunEvent) {
  const s = draft.state;
  switch (event.type) {
    case "run.status": {
      s.status = event.status;
      s.statusReason = event.reason ?? null;
      if (event.status !== "queued" && !s.startedAt) s.startedAt = event.at;
      // A budget-exhausted run can be resumed: it is then no longer finished.
      s.finishedAt = isFinalRunStatus(event.status) ? event.at : null;
      return;
    }
    case "run.plan": {
      s.phases = event.phases.map((p) => ({ key: p.key, title: p.title }));
      const planIds = new Set(event.tasks.map((t) => t.id));
      for (const snapshot of event.tasks) draft.setTask(toViewTask(snapshot, s.tasks[snapshot.id], event.at));
      // Plan order first; tasks added outside the plan (subtasks) keep their place after it.
      draft.setTaskOrder([...event.tasks.map((t) => t.id), ...s.taskOrder.filter((id) => !planIds.has(id))]);
      return;
    }
    case "task.added": {
      draft.setTask(toViewTask(event.task, s.tasks[event.task.id], event.at));
      return;
    }
    case "plan.edited": {
      // A person changed the plan: added or changed tasks as they are now, removed ones gone.
      if (event.phases) s.phases = event.phases.map((p) => ({ key: p.key, title: p.title }));
      for (const snapshot of event.tasks) draft.setTask(toViewTask(snapshot, s.tasks[snapshot.id], event.at));
      for (const id of event.removed ?? []) draft.removeTask(id);
      if (event.order) {
        const listed = new Set(event.order);
        draft.setTaskOrder([
          ...event.order.filter((id) => draft.state.tasks[id]),
          ...draft.state.taskOrder.filter((id) => !listed.has(id)),
        ]);
      }
      return;
    }
    case "plan.approved": {
      s.planApprovedAt = event.at;
      return;
    }
    case "task.status": {
      const task = s.tasks[event.taskId];
      if (!task) return;
      const restarted = event.status === "in_progress" && task.status !== "in_progress";
      draft.setTask({
        ...task,
        status: event.status,
        statusReason: event.reason ?? null,
        attempts: restarted ? task.attempts + 1 : task.attempts,
        updatedAt: event.at,
      });
      return;
    }
    case "review.verdict": {
      const task = s.tasks[event.taskId];
      if (!task) return;
      const verdict: TaskVerdict = {
        verdict: event.verdict,
        reasons: event.reasons,
        attempt: event.attempt,
        at: event.at,
      };
      draft.setTask({
        ...task,
        verdicts: [...task.verdicts, verdict],
        lastVerdict: verdict,
        attempts: Math.max(task.attempts, event.attempt),
        updatedAt: event.at,
      });
      return;
    }
    case "agent.delta": {
      const lane = draft.lane(event.agentSlug, event.taskId, event.seq, event.at);
      const last = lane.items[lane.items.length - 1];
      if (last?.kind === "text") {
        lane.items[lane.items.length - 1] = { ...last, text: last.text + event.delta };
      } else {
        lane.items.push({ kind: "text", key: `text-${event.seq}`, text: event.delta, at: event.at });
      }
      return;
    }
    case "agent.tool-call": {
      const lane = draft.lane(event.agentSlug, event.taskId, event.seq, event.at);
      lane.items.push({
        kind: "tool",
        key: `tool-${event.toolCallId}`,
        toolCallId: event.toolCallId,
        toolName: event.toolName,
        input: event.input,
        output: undefined,
        done: false,
        at: event.at,
      });
      return;
    }
    case "agent.tool-result": {
      const lane = draft.lane(event.agentSlug, event.taskId, event.seq, event.at);
      const index = lane.items.findLastIndex((i) => i.kind === "tool" && i.toolCallId === event.toolCallId);
      const call = lane.items[index];
      if (call?.kind === "tool") {
        lane.items[index] = { ...call, output: event.output, done: true };
      } else {
        lane.items.push({
          kind: "tool",
          key: `tool-${event.toolCallId}`,
          toolCallId: event.toolCallId,
          toolName: event.toolName,
          input: undefined,
          output: event.output,
          done: true,
          at: event.at,
        });
      }
      return;
    }
    case "file.changed": {
      const lane = draft.lane(event.agentSlug, event.taskId, event.seq, event.at);
      lane.items.push({
        kind: "file",
        key: `file-${event.seq}`,
        change: event.change,
        path: event.path,
        from: event.from,
        added: event.added,
        removed: event.removed,
        at: event.at,
      });
      return;
    }
    case "task.committed":
    case "task.conflict": {
      const task = s.tasks[event.taskId];
      if (!task) return;
      const lane = draft.lane(task.agentSlug, event.taskId, event.seq, event.at);
      lane.items.push(
        event.type === "task.committed"
          ? {
              kind: "commit",
              key: `commit-${event.seq}`,
              sha: event.sha,
              message: event.message,
              files: event.files,
              at: event.at,
            }
          : { kind: "conflict", key: `conflict-${event.seq}`, files: event.files, at: event.at },
      );
      return;
    }
    case "insight": {
      const lane = draft.lane(event.agentSlug, event.taskId, event.seq, event.at);
      lane.items.push({ kind: "insight", key: `insight-${event.seq}`, text: event.text, at: event.at });
      return;
    }
    case "artifact.saved": {
      const previous = s.artifacts[event.artifactId];
      const versions = (previous?.versions ?? []).filter((v) => v.version !== event.version);
      versions.push({ version: event.version, at: event.at });
      versions.sort((a, b) => a.version - b.version);
      draft.setArtifact({
        id: event.artifactId,
        kind: event.kind,
        title: event.title,
        taskId: event.taskId ?? previous?.taskId ?? null,
        versions,
        latestVersion: versions[versions.length - 1]?.version ?? event.version,
      });
      return;
    }
    case "approval.requested": {
      const previous = s.approvals[event.approvalId];
      draft.setApproval({
        id: event.approvalId,
        taskId: event.taskId,
        title: event.title,
        prompt: event.prompt,
        status: previous?.status ?? "pending",
        comment: previous?.comment ?? null,
        decidedBy: previous?.decidedBy ?? null,
        requestedAt: event.at,
        resolvedAt: previous?.resolvedAt ?? null,
      });
      return;
    }
    case "approval.resolved": {
      const previous = s.approvals[event.approvalId];
      draft.setApproval({
        id: event.approvalId,
        taskId: previous?.taskId ?? null,
        title: previous?.title ?? "Approval",
        prompt: previous?.prompt ?? "",
        requestedAt: previous?.requestedAt ?? null,
        status: event.decision,
        comment: event.comment,
        decidedBy: event.decidedBy,
        resolvedAt: event.at,
      });
      return;
    }
    case "usage": {
      const totals = draft.totals();
      const usage = {
        inputTokens: event.inputTokens,
        outputTokens: event.outputTokens,
        costUsd: event.costUsd,
        latencyMs: event.latencyMs,
      };
      Object.assign(totals, addUsage(totals, usage));
      totals.byAgent = {
        ...totals.byAgent,
        [event.agentSlug]: addUsage(totals.byAgent[event.agentSlug], usage),
      };
      totals.byModel = { ...totals.byModel, [event.modelId]: addUsage(totals.byModel[event.modelId], usage) };
      if (isDemoModel(event.modelId)) s.usesDemoModel = true;
      return;
    }
    case "command.started": {
      if (s.commands[event.execId]) return;
      draft.addCommand({
        execId: event.execId,
        taskId: event.taskId,
        agentSlug: event.agentSlug,
        command: event.command,
        purpose: event.purpose,
        kind: event.kind ?? null,
        driver: event.driver,
        network: event.network,
        output: "",
        droppedChars: 0,
        running: true,
        exitCode: null,
        outcome: null,
        durationMs: null,
        outputBytes: 0,
        truncated: false,
        startedAt: event.at,
        finishedAt: null,
        checkId: null,
      });
      if (event.driver === "host" && !s.sandbox.unsandboxed) s.sandbox = { ...s.sandbox, unsandboxed: true };
      const lane = commandLane(draft, event.agentSlug, event.taskId, event.seq, event.at);
      lane.items.push({
        kind: "command",
        key: `command-${event.execId}`,
        execId: event.execId,
        at: event.at,
      });
      return;
    }
    case "command.output": {
      const command = draft.command(event.execId);
      if (!command) return;
      let output = command.output + event.chunk;
      if (output.length > MAX_COMMAND_OUTPUT_CHARS) {
        const drop = output.length - MAX_COMMAND_OUTPUT_CHARS;
        command.droppedChars += drop;
        output = output.slice(drop);
      }
      command.output = output;
      // The lane moved: it is the one producing output now.
      commandLane(draft, command.agentSlug, command.taskId, event.seq, event.at);
      return;
    }
    case "command.finished": {
      const command = draft.command(event.execId);
      if (!command) return;
      Object.assign(command, {
        running: false,
        exitCode: event.exitCode,
        outcome: event.outcome,
        durationMs: event.durationMs,
        outputBytes: event.outputBytes,
        truncated: event.truncated,
        finishedAt: event.at,
      });
      return;
    }
    case "check.recorded": {
      const previous = s.checks[event.checkId];
      // The command this check ran: the latest finished check command of this kind and task.
      const execId =
        previous?.execId ??
        s.commandOrder.findLast((id) => {
          const c = s.commands[id];
          return (
            c?.purpose === "check" &&
            c.kind === event.kind &&
            c.taskId === event.taskId &&
            !c.running &&
            c.checkId === null
          );
        }) ??
        null;
      const command = execId ? draft.command(execId) : undefined;
      if (command) command.checkId = event.checkId;
      draft.setCheck({
        id: event.checkId,
        taskId: event.taskId,
        attempt: event.attempt,
        scope: event.scope,
        kind: event.kind,
        command: event.command,
        status: event.status,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
        passed: event.passed,
        failed: event.failed,
        commitSha: event.commitSha,
        driver: command?.driver ?? null,
        execId,
        at: event.at,
      });
      if (!previous) {
        const lane = commandLane(draft, command?.agentSlug ?? null, event.taskId, event.seq, event.at);
        lane.items.push({
          kind: "check",
          key: `check-${event.checkId}`,
          checkId: event.checkId,
          at: event.at,
        });
      }
      return;
    }
    case "sandbox.unavailable": {
      if (!s.sandbox.unavailable) {
        s.sandbox = {
          ...s.sandbox,
          unavailable: { message: event.message, taskId: event.taskId, at: event.at },
        };
      }
      const lane = commandLane(draft, null, event.taskId, event.seq, event.at);
      // Once per lane: every check of a task would say the same.
      if (!lane.items.some((item) => item.kind === "sandbox")) {
        lane.items.push({
          kind: "sandbox",
          key: `sandbox-${event.seq}`,
          message: event.message,
          at: event.at,
        });
      }
      return;
    }
    default:
      // An event type this build does not know (a newer server): skip it, keep the position.
      return;
  }
}

/** The lane name for commands and checks no agent ran (the gate, the run branch's checks). */
export const CHECKS_LANE_AGENT = "checks";

/** Commands and checks show in the lane of the agent that ran them, else of the task's agent. */
function commandLane(draft: Draft, agentSlug: string | null, taskId: string | null, seq: number, at: string) {
  const slug = agentSlug ?? (taskId ? draft.state.tasks[taskId]?.agentSlug : undefined) ?? CHECKS_LANE_AGENT;
  return draft.lane(slug, taskId, seq, at);
}

/**
 * Folds events into the state. Events are applied in `seq` order; any event whose `seq` is not
 * above the last applied one (a duplicate from replay overlapping live, or a late straggler) is
 * ignored. Returns the same object when nothing new was applied.
 */
export function applyRunEvents(state: RunViewState, events: readonly StoredRunEvent[]): RunViewState {
  const fresh = events.filter((e) => e.seq > state.lastSeq);
  if (fresh.length === 0) return state;
  fresh.sort((a, b) => a.seq - b.seq);
  const draft = new Draft(state);
  for (const event of fresh) {
    if (event.seq <= draft.state.lastSeq) continue;
    apply(draft, event);
    draft.state.lastSeq = event.seq;
  }
  if (draft.tasksChanged || draft.state.status !== state.status) {
    draft.state.progress = computeProgress(Object.values(draft.state.tasks), draft.state.status);
  }
  return draft.state;
}

// The helpers take only the slices they read, so callers can memoize on those slices: a text
// delta replaces `lanes` but leaves `tasks`, `artifacts` and `approvals` as they were.

export const orderedTasks = ({ tasks, taskOrder }: Pick<RunViewState, "tasks" | "taskOrder">) =>
  taskOrder.flatMap((id) => (tasks[id] ? [tasks[id]] : []));

export const orderedLanes = ({ lanes, laneOrder }: Pick<RunViewState, "lanes" | "laneOrder">) =>
  laneOrder.flatMap((key) => (lanes[key] ? [lanes[key]] : []));

export const orderedArtifacts = ({
  artifacts,
  artifactOrder,
}: Pick<RunViewState, "artifacts" | "artifactOrder">) =>
  artifactOrder.flatMap((id) => (artifacts[id] ? [artifacts[id]] : []));

export const orderedApprovals = ({
  approvals,
  approvalOrder,
}: Pick<RunViewState, "approvals" | "approvalOrder">) =>
  approvalOrder.flatMap((id) => (approvals[id] ? [approvals[id]] : []));

export const pendingApprovals = (state: Pick<RunViewState, "approvals" | "approvalOrder">) =>
  orderedApprovals(state).filter((a) => a.status === "pending");

/**
 * Whether a lane is streaming right now (the page shows a caret): the run is working and the lane
 * is its task's most recent lane while the task is in progress or in review. Run-level lanes (the
 * orchestrator) are live while planning, or when they produced the run's latest output.
 */
export function isLaneLive(state: RunViewState, lane: FeedLane): boolean {
  if (!isWorkingRunStatus(state.status)) return false;
  const lanes = Object.values(state.lanes);
  if (lane.taskId === null) {
    return state.status === "planning" || lanes.every((other) => other.lastSeq <= lane.lastSeq);
  }
  const task = state.tasks[lane.taskId];
  if (!task || (task.status !== "in_progress" && task.status !== "review")) return false;
  return lanes.every((other) => other.taskId !== lane.taskId || other.lastSeq <= lane.lastSeq);
}

export const orderedChecks = ({ checks, checkOrder }: Pick<RunViewState, "checks" | "checkOrder">) =>
  checkOrder.flatMap((id) => (checks[id] ? [checks[id]] : []));

/** The latest check of each kind (a check run again replaces the earlier one), in kind order. */
export function latestByKind(checks: readonly RunCheck[]): RunCheck[] {
  const byKind = new Map<CheckKind, RunCheck>();
  for (const check of checks) byKind.set(check.kind, check);
  return [...byKind.values()];
}

export type ChecksSummary = {
  /** failed when any failed or errored; passed when some passed and none failed; else skipped. */
  status: "passed" | "failed" | "skipped";
  passed: number;
  failed: number;
  durationMs: number;
  checks: RunCheck[];
};

/** One status for a set of checks (latest per kind), or null when there are none. */
export function summarizeChecks(checks: readonly RunCheck[]): ChecksSummary | null {
  const latest = latestByKind(checks);
  if (latest.length === 0) return null;
  const bad = latest.some((c) => c.status === "failed" || c.status === "error");
  const good = latest.some((c) => c.status === "passed");
  return {
    status: bad ? "failed" : good ? "passed" : "skipped",
    passed: latest.reduce((n, c) => n + (c.passed ?? 0), 0),
    failed: latest.reduce((n, c) => n + (c.failed ?? 0), 0),
    durationMs: latest.reduce((n, c) => n + c.durationMs, 0),
    checks: latest,
  };
}

/** The run branch's checks on the merged result (scope `branch`), latest per kind. */
export const branchChecks = (state: Pick<RunViewState, "checks" | "checkOrder">) =>
  latestByKind(orderedChecks(state).filter((c) => c.scope === "branch"));

export type TaskAttempt = {
  attempt: number;
  /** The gate's checks on the attempt's commit and the agent's own run_checks, in order. */
  checks: RunCheck[];
  verdict: TaskVerdict | null;
};

/** A task's attempts, oldest first: each with its checks and the reviewer's verdict. */
export function taskAttempts(
  state: Pick<RunViewState, "checks" | "checkOrder" | "tasks">,
  taskId: string,
): TaskAttempt[] {
  const task = state.tasks[taskId];
  const checks = orderedChecks(state).filter((c) => c.taskId === taskId);
  const last = Math.max(
    task?.attempts ?? 0,
    ...checks.map((c) => c.attempt ?? 0),
    ...(task?.verdicts ?? []).map((v) => v.attempt),
  );
  const attempts: TaskAttempt[] = [];
  for (let attempt = 1; attempt <= last; attempt++) {
    attempts.push({
      attempt,
      checks: checks.filter((c) => (c.attempt ?? last) === attempt),
      verdict: task?.verdicts.findLast((v) => v.attempt === attempt) ?? null,
    });
  }
  return attempts;
}

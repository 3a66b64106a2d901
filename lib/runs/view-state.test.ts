import { describe, expect, it } from "vitest";
import { DEMO_MODEL_ID } from "@/lib/ai/demo-model";
import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import type { RunEvent, StoredRunEvent, TaskSnapshot } from "./events";
import {
  applyRunEvents,
  branchChecks,
  CHECKS_LANE_AGENT,
  initialRunViewState,
  isLaneLive,
  MAX_COMMAND_OUTPUT_CHARS,
  orderedChecks,
  orderedLanes,
  orderedTasks,
  pendingApprovals,
  type RunViewState,
  summarizeChecks,
  taskAttempts,
} from "./view-state";

const at = (seq: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, seq)).toISOString();

/** Numbers events from `from` in the order given. */
function log(from: number, ...events: RunEvent[]): StoredRunEvent[] {
  return events.map((event, i) => ({ ...event, seq: from + i, at: at(from + i) }) as StoredRunEvent);
}

function task(id: string, overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    id,
    key: id,
    title: `Task ${id}`,
    description: `Do ${id}`,
    phaseKey: "build",
    agentSlug: "coder",
    priority: "medium",
    status: "todo",
    dependsOn: [],
    acceptanceCriteria: ["It works"],
    ...overrides,
  };
}

const plan = (...tasks: TaskSnapshot[]): RunEvent => ({
  type: "run.plan",
  phases: [{ key: "build", title: "Build" }],
  tasks,
});

const start = () => initialRunViewState({ status: "queued" });

describe("initialRunViewState", () => {
  it("starts empty at position 0 with the run's status and times", () => {
    const state = initialRunViewState({
      status: "running",
      startedAt: new Date("2026-11-24T12:00:00Z"),
      usesDemoModel: true,
    });
    expect(state).toMatchObject({
      status: "running",
      startedAt: "2026-11-24T12:00:00.000Z",
      finishedAt: null,
      lastSeq: 0,
      usesDemoModel: true,
      tasks: {},
      progress: { total: 0, done: 0, percent: 0 },
      totals: { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 },
    });
  });
});

describe("applyRunEvents: ordering and duplicates", () => {
  it("applies events in seq order and records the last position", () => {
    const events = log(1, { type: "run.status", status: "planning" }, plan(task("a")), {
      type: "run.status",
      status: "running",
    });
    const state = applyRunEvents(start(), events);
    expect(state.status).toBe("running");
    expect(state.lastSeq).toBe(3);
    expect(state.startedAt).toBe(at(1));
    expect(orderedTasks(state).map((t) => t.id)).toEqual(["a"]);
  });

  it("sorts a batch that arrives out of order", () => {
    const [planning, running, completed] = log(
      1,
      { type: "run.status", status: "planning" },
      { type: "run.status", status: "running" },
      { type: "run.status", status: "completed" },
    ) as [StoredRunEvent, StoredRunEvent, StoredRunEvent];
    const state = applyRunEvents(start(), [completed, planning, running]);
    expect(state.status).toBe("completed");
    expect(state.lastSeq).toBe(3);
  });

  it("ignores replayed events at or below lastSeq, so replay + live never duplicates text", () => {
    const events = log(
      1,
      { type: "agent.delta", taskId: null, agentSlug: "orchestrator", delta: "Hel" },
      { type: "agent.delta", taskId: null, agentSlug: "orchestrator", delta: "lo" },
      { type: "agent.delta", taskId: null, agentSlug: "orchestrator", delta: "!" },
    );
    const replayed = applyRunEvents(start(), events.slice(0, 2));
    // The live stream resumes from an older position and overlaps the replay.
    const live = applyRunEvents(replayed, events.slice(1));
    const again = applyRunEvents(live, events);
    const [lane] = orderedLanes(again);
    expect(lane?.items).toEqual([{ kind: "text", key: "text-1", text: "Hello!", at: at(1) }]);
    expect(again.lastSeq).toBe(3);
    expect(again).toBe(live);
  });

  it("rejects a straggler older than the last applied event", () => {
    const events = log(
      1,
      { type: "run.status", status: "running" },
      { type: "run.status", status: "waiting_approval" },
      { type: "run.status", status: "running" },
    );
    const state = applyRunEvents(start(), [events[0], events[2]] as StoredRunEvent[]);
    const after = applyRunEvents(state, [events[1] as StoredRunEvent]);
    expect(after).toBe(state);
    expect(after.status).toBe("running");
  });

  it("drops duplicates inside one batch", () => {
    const [delta] = log(1, { type: "agent.delta", taskId: null, agentSlug: "orchestrator", delta: "x" });
    const state = applyRunEvents(start(), [delta as StoredRunEvent, delta as StoredRunEvent]);
    expect(orderedLanes(state)[0]?.items).toMatchObject([{ text: "x" }]);
  });

  it("never mutates the state it is given", () => {
    const base = applyRunEvents(
      start(),
      log(1, plan(task("a")), {
        type: "agent.delta",
        taskId: "a",
        agentSlug: "coder",
        delta: "one",
      }),
    );
    const snapshot = structuredClone(base);
    applyRunEvents(
      base,
      log(
        3,
        { type: "agent.delta", taskId: "a", agentSlug: "coder", delta: " two" },
        { type: "task.status", taskId: "a", status: "done" },
        {
          type: "usage",
          taskId: "a",
          agentSlug: "coder",
          modelId: "gpt-5",
          latencyMs: 10,
          inputTokens: 1,
          outputTokens: 1,
          costUsd: 0.1,
        },
      ),
    );
    expect(base).toEqual(snapshot);
  });

  it("keeps untouched slices by reference, so views can skip work on text deltas", () => {
    const base = applyRunEvents(
      start(),
      log(
        1,
        plan(task("a")),
        { type: "artifact.saved", artifactId: "x", taskId: "a", kind: "prd", title: "PRD", version: 1 },
        { type: "approval.requested", approvalId: "p", taskId: null, title: "Gate", prompt: "?" },
      ),
    );
    const next = applyRunEvents(
      base,
      log(4, { type: "agent.delta", taskId: "a", agentSlug: "coder", delta: "x" }),
    );
    expect(next.lanes).not.toBe(base.lanes);
    expect(next.tasks).toBe(base.tasks);
    expect(next.taskOrder).toBe(base.taskOrder);
    expect(next.progress).toBe(base.progress);
    expect(next.artifacts).toBe(base.artifacts);
    expect(next.approvals).toBe(base.approvals);
    expect(next.totals).toBe(base.totals);
  });

  it("skips unknown event types but advances past them", () => {
    const unknown = { type: "run.something-new", seq: 1, at: at(1) } as unknown as StoredRunEvent;
    const state = applyRunEvents(start(), [unknown]);
    expect(state.lastSeq).toBe(1);
    expect(state.status).toBe("queued");
  });
});

describe("applyRunEvents: run status", () => {
  it("records the finish time on a final status and clears it when a run resumes", () => {
    const exhausted = applyRunEvents(
      start(),
      log(
        1,
        { type: "run.status", status: "running" },
        { type: "run.status", status: "budget_exhausted", reason: "Token budget spent" },
      ),
    );
    expect(exhausted).toMatchObject({
      status: "budget_exhausted",
      statusReason: "Token budget spent",
      finishedAt: at(2),
    });
    const resumed = applyRunEvents(exhausted, log(3, { type: "run.status", status: "running" }));
    expect(resumed).toMatchObject({
      status: "running",
      statusReason: null,
      finishedAt: null,
      startedAt: at(1),
    });
  });
});

describe("applyRunEvents: tasks", () => {
  it("builds phases and tasks from the plan, and appends added subtasks", () => {
    const state = applyRunEvents(
      start(),
      log(1, plan(task("a"), task("b", { dependsOn: ["a"] })), {
        type: "task.added",
        task: task("a-1", { parentTaskId: "a", title: "Subtask" }),
      }),
    );
    expect(state.phases).toEqual([{ key: "build", title: "Build" }]);
    expect(orderedTasks(state).map((t) => t.id)).toEqual(["a", "b", "a-1"]);
    expect(state.tasks["a-1"]).toMatchObject({ parentTaskId: "a", title: "Subtask", attempts: 0 });
    expect(state.progress).toMatchObject({ total: 3, done: 0 });
  });

  it("keeps attempts and verdicts when the plan is re-sent, and keeps added tasks after it", () => {
    const before = applyRunEvents(
      start(),
      log(
        1,
        plan(task("a")),
        { type: "task.status", taskId: "a", status: "in_progress" },
        { type: "task.added", task: task("extra") },
      ),
    );
    const after = applyRunEvents(before, log(4, plan(task("a", { status: "in_progress" }), task("b"))));
    expect(orderedTasks(after).map((t) => t.id)).toEqual(["a", "b", "extra"]);
    expect(after.tasks.a?.attempts).toBe(1);
  });

  it("ignores status changes and verdicts for unknown tasks", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        { type: "task.status", taskId: "ghost", status: "done" },
        { type: "review.verdict", taskId: "ghost", verdict: "pass", reasons: [], attempt: 1 },
      ),
    );
    expect(state.tasks).toEqual({});
    expect(state.lastSeq).toBe(2);
  });

  it("follows the reviewer rework loop: fail sends the task back, a second attempt passes", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        plan(task("a")),
        { type: "task.status", taskId: "a", status: "in_progress" },
        { type: "task.status", taskId: "a", status: "review" },
        {
          type: "review.verdict",
          taskId: "a",
          verdict: "fail",
          reasons: ["Missing the Security section"],
          attempt: 1,
        },
        { type: "task.status", taskId: "a", status: "in_progress", reason: "Rework after review" },
      ),
    );
    expect(state.tasks.a).toMatchObject({
      status: "in_progress",
      attempts: 2,
      statusReason: "Rework after review",
      lastVerdict: { verdict: "fail", reasons: ["Missing the Security section"], attempt: 1 },
    });

    const passed = applyRunEvents(
      state,
      log(
        6,
        { type: "task.status", taskId: "a", status: "review" },
        { type: "review.verdict", taskId: "a", verdict: "pass", reasons: [], attempt: 2 },
        { type: "task.status", taskId: "a", status: "done" },
      ),
    );
    expect(passed.tasks.a).toMatchObject({ status: "done", attempts: 2, lastVerdict: { verdict: "pass" } });
    expect(passed.tasks.a?.verdicts.map((v) => v.verdict)).toEqual(["fail", "pass"]);
    expect(passed.progress).toMatchObject({ total: 1, done: 1, percent: 100 });
  });

  it("escalation and retry: a failed task retried starts a new attempt", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        plan(task("a")),
        { type: "task.status", taskId: "a", status: "in_progress" },
        { type: "task.status", taskId: "a", status: "failed", reason: "Review failed 3 times" },
        { type: "task.status", taskId: "a", status: "todo" },
        { type: "task.status", taskId: "a", status: "in_progress" },
      ),
    );
    expect(state.tasks.a).toMatchObject({ status: "in_progress", attempts: 2, statusReason: null });
  });

  it("does not count an in-progress status repeated as a new attempt", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        plan(task("a")),
        { type: "task.status", taskId: "a", status: "in_progress" },
        { type: "task.status", taskId: "a", status: "in_progress" },
      ),
    );
    expect(state.tasks.a?.attempts).toBe(1);
  });

  it("counts progress as done of total, leaving cancelled tasks out of the total", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        plan(task("a"), task("b"), task("c"), task("d"), task("e")),
        { type: "task.status", taskId: "a", status: "done" },
        { type: "task.status", taskId: "b", status: "in_progress" },
        { type: "task.status", taskId: "c", status: "review" },
        { type: "task.status", taskId: "d", status: "cancelled" },
        { type: "task.status", taskId: "e", status: "failed" },
      ),
    );
    expect(state.progress).toEqual({
      state: "active",
      total: 4,
      done: 1,
      failed: 1,
      cancelled: 1,
      active: 2,
      percent: 25,
    });
  });

  it("shows a cancelled run as cancelled with the share of its plan done, not a full bar", () => {
    const running = applyRunEvents(
      start(),
      log(
        1,
        { type: "run.status", status: "running" },
        plan(task("a"), task("b"), task("c"), task("d")),
        { type: "task.status", taskId: "a", status: "done" },
        { type: "task.status", taskId: "b", status: "done" },
        { type: "task.status", taskId: "c", status: "in_progress" },
      ),
    );
    expect(running.progress).toMatchObject({ state: "active", total: 4, done: 2, percent: 50 });
    // What cancelRun writes: the open tasks cancelled, then the run.
    const cancelled = applyRunEvents(
      running,
      log(
        running.lastSeq + 1,
        { type: "task.status", taskId: "c", status: "cancelled", reason: "Cancelled by Ann." },
        { type: "task.status", taskId: "d", status: "cancelled", reason: "Cancelled by Ann." },
        { type: "run.status", status: "cancelled", reason: "Cancelled by Ann." },
      ),
    );
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.progress).toEqual({
      state: "cancelled",
      total: 4,
      done: 2,
      failed: 0,
      cancelled: 2,
      active: 0,
      percent: 50,
    });
  });

  it("does not call a cancelled run complete when every task left was done", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        plan(task("a"), task("b")),
        { type: "task.status", taskId: "a", status: "done" },
        { type: "task.status", taskId: "b", status: "done" },
        // Cancelled while writing the summary: no task was open, only the run status changes.
        { type: "run.status", status: "cancelled", reason: "Cancelled by Ann." },
      ),
    );
    expect(state.progress.state).toBe("cancelled");
    expect(state.progress.percent).toBe(100);
    const completed = applyRunEvents(
      applyRunEvents(start(), log(1, plan(task("a")), { type: "task.status", taskId: "a", status: "done" })),
      log(3, { type: "run.status", status: "completed" }),
    );
    expect(completed.progress.state).toBe("completed");
  });

  it("seeds the progress state from the run's status before any event", () => {
    expect(initialRunViewState({ status: "cancelled" }).progress.state).toBe("cancelled");
    expect(initialRunViewState({ status: "running" }).progress.state).toBe("active");
  });
});

describe("applyRunEvents: live feed", () => {
  const events = log(
    1,
    plan(task("a"), task("b", { agentSlug: "test-writer" })),
    { type: "agent.delta", taskId: "a", agentSlug: "coder", delta: "Reading " },
    { type: "agent.delta", taskId: "b", agentSlug: "test-writer", delta: "Planning tests" },
    { type: "agent.delta", taskId: "a", agentSlug: "coder", delta: "the brief." },
    {
      type: "agent.tool-call",
      taskId: "a",
      agentSlug: "coder",
      toolCallId: "call-1",
      toolName: "write_artifact",
      input: { title: "service.ts" },
    },
    {
      type: "agent.tool-result",
      taskId: "a",
      agentSlug: "coder",
      toolCallId: "call-1",
      toolName: "write_artifact",
      output: { artifactId: "art-1", version: 1 },
    },
    { type: "agent.delta", taskId: "a", agentSlug: "coder", delta: "Done." },
    { type: "insight", taskId: "a", agentSlug: "coder", text: "The brief asks for Postgres." },
    { type: "agent.delta", taskId: "a", agentSlug: "reviewer", delta: "Checking" },
  );

  it("keeps one lane per agent and task, accumulating deltas between tool calls", () => {
    const state = applyRunEvents(start(), events);
    expect(orderedLanes(state).map((l) => l.key)).toEqual(["coder:a", "test-writer:b", "reviewer:a"]);
    const coder = state.lanes["coder:a"];
    expect(coder?.lastSeq).toBe(8);
    expect(coder?.items).toEqual([
      { kind: "text", key: "text-2", text: "Reading the brief.", at: at(2) },
      {
        kind: "tool",
        key: "tool-call-1",
        toolCallId: "call-1",
        toolName: "write_artifact",
        input: { title: "service.ts" },
        output: { artifactId: "art-1", version: 1 },
        done: true,
        at: at(5),
      },
      { kind: "text", key: "text-7", text: "Done.", at: at(7) },
      { kind: "insight", key: "insight-8", text: "The brief asks for Postgres.", at: at(8) },
    ]);
    expect(state.lanes["test-writer:b"]?.items).toMatchObject([{ kind: "text", text: "Planning tests" }]);
  });

  it("gives the same feed whether events arrive in one batch or one by one", () => {
    const oneByOne = events.reduce((state, event) => applyRunEvents(state, [event]), start());
    const batch = applyRunEvents(start(), events);
    expect(oneByOne.lanes).toEqual(batch.lanes);
    expect(oneByOne.laneOrder).toEqual(batch.laneOrder);
  });

  it("shows a pending tool call until its result arrives, and keeps orphan results", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        {
          type: "agent.tool-call",
          taskId: null,
          agentSlug: "orchestrator",
          toolCallId: "c1",
          toolName: "read_project_brief",
          input: {},
        },
        {
          type: "agent.tool-result",
          taskId: null,
          agentSlug: "orchestrator",
          toolCallId: "c0",
          toolName: "read_context",
          output: "…",
        },
      ),
    );
    expect(state.lanes["orchestrator:run"]?.items).toMatchObject([
      { kind: "tool", toolCallId: "c1", done: false },
      { kind: "tool", toolCallId: "c0", done: true, input: undefined, output: "…" },
    ]);
  });

  it("marks as live the lane of a task being worked on while the run is running", () => {
    const running = applyRunEvents(
      start(),
      log(
        1,
        { type: "run.status", status: "running" },
        plan(task("a"), task("b")),
        { type: "task.status", taskId: "a", status: "in_progress" },
        { type: "agent.delta", taskId: "a", agentSlug: "coder", delta: "x" },
        { type: "agent.delta", taskId: "b", agentSlug: "coder", delta: "y" },
        { type: "task.status", taskId: "b", status: "done" },
      ),
    );
    const laneA = running.lanes["coder:a"];
    const laneB = running.lanes["coder:b"];
    if (!laneA || !laneB) throw new Error("lanes missing");
    expect(isLaneLive(running, laneA)).toBe(true);
    expect(isLaneLive(running, laneB)).toBe(false);

    const inReview = applyRunEvents(
      running,
      log(
        7,
        { type: "task.status", taskId: "a", status: "review" },
        { type: "agent.delta", taskId: "a", agentSlug: "reviewer", delta: "ok" },
      ),
    );
    expect(isLaneLive(inReview, inReview.lanes["reviewer:a"] as never)).toBe(true);
    expect(isLaneLive(inReview, inReview.lanes["coder:a"] as never)).toBe(false);

    const waiting = applyRunEvents(inReview, log(9, { type: "run.status", status: "waiting_approval" }));
    expect(isLaneLive(waiting, waiting.lanes["reviewer:a"] as never)).toBe(false);
  });

  it("marks the orchestrator lane live while planning", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        { type: "run.status", status: "planning" },
        { type: "agent.delta", taskId: null, agentSlug: "orchestrator", delta: "Plan" },
      ),
    );
    expect(isLaneLive(state, state.lanes["orchestrator:run"] as never)).toBe(true);
  });
});

describe("applyRunEvents: artifacts", () => {
  it("collects versions of each artifact in order, once each", () => {
    const saved = (version: number, title = "Architecture overview"): RunEvent => ({
      type: "artifact.saved",
      artifactId: "art-1",
      taskId: "a",
      kind: "architecture_overview",
      title,
      version,
    });
    const state = applyRunEvents(
      start(),
      log(
        1,
        saved(1),
        {
          type: "artifact.saved",
          artifactId: "art-2",
          taskId: null,
          kind: "run_summary",
          title: "Summary",
          version: 1,
        },
        saved(2, "Architecture overview (revised)"),
      ),
    );
    expect(state.artifactOrder).toEqual(["art-1", "art-2"]);
    expect(state.artifacts["art-1"]).toEqual({
      id: "art-1",
      kind: "architecture_overview",
      title: "Architecture overview (revised)",
      taskId: "a",
      versions: [
        { version: 1, at: at(1) },
        { version: 2, at: at(3) },
      ],
      latestVersion: 2,
    });
  });
});

describe("applyRunEvents: approvals", () => {
  it("tracks pending approvals and their resolution", () => {
    const requested = applyRunEvents(
      start(),
      log(
        1,
        {
          type: "approval.requested",
          approvalId: "ap-1",
          taskId: "a",
          title: "Approve the architecture overview",
          prompt: "Is the overview ready to publish?",
        },
        {
          type: "approval.requested",
          approvalId: "ap-2",
          taskId: null,
          title: "Approve the PRD",
          prompt: "Scope OK?",
        },
      ),
    );
    expect(pendingApprovals(requested).map((a) => a.id)).toEqual(["ap-1", "ap-2"]);

    const resolved = applyRunEvents(
      requested,
      log(
        3,
        {
          type: "approval.resolved",
          approvalId: "ap-1",
          decision: "approved",
          comment: "Ship it",
          decidedBy: "Ada Lovelace",
        },
        {
          type: "approval.resolved",
          approvalId: "ap-2",
          decision: "timed_out",
          comment: null,
          decidedBy: null,
        },
      ),
    );
    expect(pendingApprovals(resolved)).toEqual([]);
    expect(resolved.approvals["ap-1"]).toEqual({
      id: "ap-1",
      taskId: "a",
      title: "Approve the architecture overview",
      prompt: "Is the overview ready to publish?",
      status: "approved",
      comment: "Ship it",
      decidedBy: "Ada Lovelace",
      requestedAt: at(1),
      resolvedAt: at(3),
    });
    expect(resolved.approvals["ap-2"]?.status).toBe("timed_out");
  });
});

describe("applyRunEvents: usage", () => {
  const usage = (
    agentSlug: string,
    modelId: string,
    inputTokens: number,
    outputTokens: number,
    costUsd: number,
  ) =>
    ({
      type: "usage",
      taskId: null,
      agentSlug,
      modelId,
      latencyMs: 100,
      inputTokens,
      outputTokens,
      costUsd,
    }) as const;

  it("sums tokens and cost overall, per agent and per model", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        usage("orchestrator", "gpt-5", 1000, 200, 0.01),
        usage("coder", "gpt-5", 3000, 1500, 0.03),
        usage("coder", "claude-sonnet-4-5", 500, 100, 0.002),
      ),
    );
    expect(state.totals).toMatchObject({ inputTokens: 4500, outputTokens: 1800, calls: 3, latencyMs: 300 });
    expect(state.totals.costUsd).toBeCloseTo(0.042);
    expect(state.totals.byAgent.coder).toMatchObject({ inputTokens: 3500, outputTokens: 1600, calls: 2 });
    expect(state.totals.byAgent.orchestrator).toMatchObject({
      inputTokens: 1000,
      outputTokens: 200,
      calls: 1,
    });
    expect(state.totals.byModel["gpt-5"]).toMatchObject({ inputTokens: 4000, outputTokens: 1700, calls: 2 });
    expect(state.totals.byModel["claude-sonnet-4-5"]?.costUsd).toBeCloseTo(0.002);
    expect(state.usesDemoModel).toBe(false);
  });

  it("notices output from the demo model", () => {
    const state = applyRunEvents(start(), log(1, usage("coder", DEMO_MODEL_ID, 10, 10, 0)));
    expect(state.usesDemoModel).toBe(true);
  });

  it("does not double-count usage replayed after a reconnect", () => {
    const events = log(1, usage("coder", "gpt-5", 10, 5, 0.5), usage("coder", "gpt-5", 20, 5, 0.25));
    let state: RunViewState = applyRunEvents(start(), events);
    state = applyRunEvents(state, events);
    expect(state.totals).toMatchObject({ inputTokens: 30, outputTokens: 10, costUsd: 0.75, calls: 2 });
  });
});

describe("applyRunEvents: a document step streams its text", () => {
  const agent = "system-architect";
  const delta = (text: string): RunEvent => ({
    type: "agent.delta",
    taskId: "doc",
    agentSlug: agent,
    delta: text,
  });

  it("shows each batch of the document as it arrives, not only the opening line", () => {
    let state = applyRunEvents(
      start(),
      log(
        1,
        { type: "run.status", status: "running" },
        plan(task("doc", { agentSlug: agent })),
        { type: "task.status", taskId: "doc", status: "in_progress" },
        delta("Drafting the technical architecture overview."),
      ),
    );
    const chunks = [
      "\n\n# Technical architecture overview\n\n",
      "## System components\n\n",
      "```mermaid\nflowchart LR\n",
    ];
    const shown: string[] = [];
    for (const chunk of chunks) {
      state = applyRunEvents(state, log(state.lastSeq + 1, delta(chunk)));
      const [lane] = orderedLanes(state);
      if (!lane) throw new Error("no lane");
      const last = lane.items.at(-1);
      expect(last?.kind).toBe("text");
      shown.push(last?.kind === "text" ? last.text : "");
      // The lane streaming the document is the live one (the feed follows it and shows a caret).
      expect(isLaneLive(state, lane)).toBe(true);
    }
    expect(shown[0]).toContain("# Technical architecture overview");
    expect(shown[1]?.startsWith(shown[0] ?? "")).toBe(true);
    expect(shown[2]).toContain("## System components");

    // Saving the artifact adds the tool call after the streamed text, which stays.
    state = applyRunEvents(
      state,
      log(state.lastSeq + 1, {
        type: "agent.tool-call",
        taskId: "doc",
        agentSlug: agent,
        toolCallId: "w1",
        toolName: "write_artifact",
        input: { title: "Technical architecture overview" },
      }),
    );
    const items = orderedLanes(state)[0]?.items ?? [];
    expect(items.map((i) => i.kind)).toEqual(["text", "tool"]);
    expect(items[0]?.kind === "text" && items[0].text).toContain("flowchart LR");
  });
});

describe("applyRunEvents: repository work", () => {
  it("puts file changes, the task's commit and a conflict in the agent's lane, in order", () => {
    const state = applyRunEvents(
      start(),
      log(
        1,
        plan(task("t1")),
        { type: "task.status", taskId: "t1", status: "in_progress" },
        {
          type: "file.changed",
          taskId: "t1",
          agentSlug: "coder",
          change: "added",
          path: "src/export.ts",
          added: 12,
          removed: 0,
        },
        { type: "task.conflict", taskId: "t1", branch: "dm/1-x", files: ["README.md"] },
        {
          type: "task.committed",
          taskId: "t1",
          sha: "0123456789abcdef0123456789abcdef01234567",
          branch: "dm/1-x",
          message: "t1: Task t1",
          files: 2,
        },
        // A commit for a task the view does not know is ignored, not a crash.
        {
          type: "task.committed",
          taskId: "nope",
          sha: "f".repeat(40),
          branch: "dm/1-x",
          message: "x",
          files: 1,
        },
      ),
    );
    const lane = orderedLanes(state).find((l) => l.taskId === "t1");
    expect(lane?.agentSlug).toBe("coder");
    expect(lane?.items.map((i) => i.kind)).toEqual(["file", "conflict", "commit"]);
    expect(lane?.items[0]).toMatchObject({ path: "src/export.ts", added: 12, removed: 0 });
    expect(lane?.items[2]).toMatchObject({ message: "t1: Task t1", files: 2 });
  });
});

describe("applyRunEvents: commands and checks", () => {
  const started = (execId: string, over: Partial<Extract<RunEvent, { type: "command.started" }>> = {}) =>
    ({
      type: "command.started",
      execId,
      taskId: "a",
      agentSlug: "coder",
      command: "node --test",
      purpose: "check",
      kind: "test",
      driver: "bubblewrap",
      network: false,
      ...over,
    }) satisfies RunEvent;
  const output = (execId: string, chunk: string): RunEvent => ({
    type: "command.output",
    execId,
    taskId: "a",
    chunk,
  });
  const finished = (execId: string, exitCode: number, durationMs = 120): RunEvent => ({
    type: "command.finished",
    execId,
    taskId: "a",
    exitCode,
    outcome: "exited",
    durationMs,
    outputBytes: 42,
    truncated: false,
  });
  const recorded = (
    checkId: string,
    over: Partial<Extract<RunEvent, { type: "check.recorded" }>> = {},
  ): RunEvent => ({
    type: "check.recorded",
    checkId,
    taskId: "a",
    attempt: 1,
    scope: "task",
    kind: "test",
    command: "node --test",
    status: "failed",
    exitCode: 1,
    durationMs: 120,
    passed: 3,
    failed: 1,
    commitSha: "abc123",
    ...over,
  });
  const running = () =>
    applyRunEvents(start(), log(1, plan(task("a")), { type: "run.status", status: "running" }));

  it("grows a command block as output arrives, in the lane of its agent and task", () => {
    let state = applyRunEvents(running(), log(3, started("x1"), output("x1", "ok 1 - adds\n")));
    expect(state.commands.x1).toMatchObject({ running: true, output: "ok 1 - adds\n", exitCode: null });
    const lane = state.lanes["coder:a"];
    expect(lane?.items).toEqual([{ kind: "command", key: "command-x1", execId: "x1", at: at(3) }]);
    expect(lane?.lastSeq).toBe(4);

    const before = state;
    state = applyRunEvents(state, log(5, output("x1", "not ok 2 - fails\n"), finished("x1", 1, 340)));
    expect(state.commands.x1).toMatchObject({
      output: "ok 1 - adds\nnot ok 2 - fails\n",
      running: false,
      exitCode: 1,
      outcome: "exited",
      durationMs: 340,
      finishedAt: at(6),
    });
    // The earlier state is untouched: the page may still be rendering it.
    expect(before.commands.x1?.output).toBe("ok 1 - adds\n");
    expect(before.commands.x1?.running).toBe(true);
  });

  it("keeps only the tail of a very long output, counting what it dropped", () => {
    const big = "x".repeat(MAX_COMMAND_OUTPUT_CHARS);
    const state = applyRunEvents(running(), log(3, started("x1"), output("x1", big), output("x1", "END")));
    const command = state.commands.x1;
    expect(command?.output.length).toBe(MAX_COMMAND_OUTPUT_CHARS);
    expect(command?.output.endsWith("xEND")).toBe(true);
    expect(command?.droppedChars).toBe(3);
  });

  it("ignores output for a command it never saw start", () => {
    const state = applyRunEvents(running(), log(3, output("ghost", "hi"), finished("ghost", 0)));
    expect(state.commands).toEqual({});
    expect(state.lastSeq).toBe(4);
  });

  it("records checks per task and attempt, links each to its command, and pairs the verdict", () => {
    const state = applyRunEvents(
      running(),
      log(
        3,
        started("x1"),
        finished("x1", 1),
        recorded("c1"),
        { type: "review.verdict", taskId: "a", verdict: "fail", reasons: ["Tests fail"], attempt: 1 },
        started("x2", { driver: "host" }),
        finished("x2", 0),
        recorded("c2", { attempt: 2, status: "passed", exitCode: 0, passed: 4, failed: 0 }),
        { type: "review.verdict", taskId: "a", verdict: "pass", reasons: [], attempt: 2 },
      ),
    );
    expect(state.checks.c1).toMatchObject({
      status: "failed",
      execId: "x1",
      driver: "bubblewrap",
      attempt: 1,
    });
    expect(state.checks.c2).toMatchObject({ status: "passed", execId: "x2", driver: "host" });
    expect(state.commands.x1?.checkId).toBe("c1");
    expect(state.sandbox.unsandboxed).toBe(true);
    const attempts = taskAttempts(state, "a");
    expect(attempts.map((a) => [a.attempt, a.checks.map((c) => c.id), a.verdict?.verdict])).toEqual([
      [1, ["c1"], "fail"],
      [2, ["c2"], "pass"],
    ]);
    const items = state.lanes["coder:a"]?.items.map((i) => i.key);
    expect(items).toEqual(["command-x1", "check-c1", "command-x2", "check-c2"]);
  });

  it("does not add a check twice when its event is replayed under a new position", () => {
    const once = applyRunEvents(running(), log(3, recorded("c1")));
    const twice = applyRunEvents(once, log(4, recorded("c1", { status: "passed" })));
    expect(orderedChecks(twice).map((c) => [c.id, c.status])).toEqual([["c1", "passed"]]);
    expect(twice.lanes["coder:a"]?.items.filter((i) => i.kind === "check")).toHaveLength(1);
  });

  it("summarizes the run branch's checks, the latest of each kind", () => {
    const branch = { taskId: null, attempt: null, scope: "branch" as const };
    let state = applyRunEvents(
      running(),
      log(
        3,
        recorded("b1", { ...branch, kind: "build", status: "passed", passed: null, failed: null }),
        recorded("b2", { ...branch, status: "failed" }),
        recorded("t1", { status: "passed" }),
      ),
    );
    expect(branchChecks(state).map((c) => c.id)).toEqual(["b1", "b2"]);
    expect(summarizeChecks(branchChecks(state))).toMatchObject({ status: "failed", passed: 3, failed: 1 });
    // The branch's checks without a task land in the checks lane.
    expect(state.lanes[`${CHECKS_LANE_AGENT}:run`]?.items.map((i) => i.key)).toEqual([
      "check-b1",
      "check-b2",
    ]);

    state = applyRunEvents(
      state,
      log(6, recorded("b3", { ...branch, status: "passed", passed: 4, failed: 0 })),
    );
    expect(summarizeChecks(branchChecks(state))).toMatchObject({
      status: "passed",
      passed: 4,
      failed: 0,
      durationMs: 240,
    });
    expect(summarizeChecks([])).toBeNull();
  });

  it("calls skipped-only checks skipped, and an error a failure", () => {
    const skipped = applyRunEvents(running(), log(3, recorded("s1", { status: "skipped", passed: null })));
    expect(summarizeChecks(orderedChecks(skipped))?.status).toBe("skipped");
    const errored = applyRunEvents(running(), log(3, recorded("e1", { status: "error" })));
    expect(summarizeChecks(orderedChecks(errored))?.status).toBe("failed");
  });

  it("notes once per lane that the sandbox is unavailable", () => {
    const unavailable: RunEvent = { type: "sandbox.unavailable", taskId: "a", message: NO_SANDBOX_MESSAGE };
    const state = applyRunEvents(
      running(),
      log(3, unavailable, unavailable, recorded("s1", { status: "skipped" })),
    );
    expect(state.sandbox.unavailable).toEqual({ message: NO_SANDBOX_MESSAGE, taskId: "a", at: at(3) });
    expect(state.lanes["coder:a"]?.items.map((i) => i.kind)).toEqual(["sandbox", "check"]);
    expect(state.checks.s1?.driver).toBeNull();
  });
});

describe("applyRunEvents: plan edits", () => {
  it("adds, changes, removes and re-orders tasks, opens a phase and records the plan's approval", () => {
    let state = applyRunEvents(start(), log(1, plan(task("a"), task("b"))));
    state = applyRunEvents(
      state,
      log(
        2,
        {
          type: "plan.edited",
          op: "add",
          tasks: [task("c", { phaseKey: "ship", worker: "external" })],
          phases: [
            { key: "build", title: "Build" },
            { key: "ship", title: "Ship" },
          ],
          by: "Ada",
        },
        { type: "plan.edited", op: "update", tasks: [task("a", { agentSlug: "test-writer" })], by: "Ada" },
        { type: "plan.edited", op: "remove", tasks: [], removed: ["b"], by: "Ada" },
        { type: "plan.edited", op: "reorder", tasks: [], order: ["c", "a"], by: "Ada" },
        { type: "plan.approved", by: "Ada" },
      ),
    );
    expect(orderedTasks(state).map((t) => t.id)).toEqual(["c", "a"]);
    expect(state.tasks.a?.agentSlug).toBe("test-writer");
    expect(state.tasks.b).toBeUndefined();
    expect(state.tasks.c?.worker).toBe("external");
    expect(state.phases.map((p) => p.key)).toEqual(["build", "ship"]);
    expect(state.progress.total).toBe(2);
    expect(state.planApprovedAt).toBe(at(6));
  });
});

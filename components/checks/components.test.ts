import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LiveFeed } from "@/components/runs/live-feed";
import { TaskBoard } from "@/components/runs/task-board";
import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import type { RunEvent, StoredRunEvent } from "@/lib/runs/events";
import { applyRunEvents, initialRunViewState, orderedLanes, orderedTasks } from "@/lib/runs/view-state";
import { AttemptHistory } from "./attempt-history";
import { BranchCheckBadge } from "./branch-checks";
import { CheckBadge } from "./check-badge";
import { CommandOutput, FOLDED_LINES } from "./command-output";
import { ProjectChecks } from "./project-checks";
import { SandboxNotice } from "./sandbox-notice";

/** Server-rendered markup as text, tags stripped, for asserting what a reader sees. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

function stored(events: RunEvent[]): StoredRunEvent[] {
  return events.map(
    (e, i) =>
      ({ ...e, seq: i + 1, at: new Date(Date.UTC(2026, 11, 3, 9, 0, i)).toISOString() }) as StoredRunEvent,
  );
}

const task = {
  id: "a",
  key: "a",
  title: "Add the sum function",
  description: "",
  phaseKey: "build",
  agentSlug: "coder",
  priority: "medium" as const,
  status: "in_progress" as const,
  dependsOn: [],
  acceptanceCriteria: [],
};

const runEvents: RunEvent[] = [
  { type: "run.plan", phases: [{ key: "build", title: "Build" }], tasks: [task] },
  {
    type: "command.started",
    execId: "x1",
    taskId: "a",
    agentSlug: null,
    command: "node --test",
    purpose: "check",
    kind: "test",
    driver: "host",
    network: false,
  },
  {
    type: "command.output",
    execId: "x1",
    taskId: "a",
    chunk: `${Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n")}\n`,
  },
  {
    type: "command.finished",
    execId: "x1",
    taskId: "a",
    exitCode: 1,
    outcome: "exited",
    durationMs: 3_400,
    outputBytes: 300,
    truncated: false,
  },
  {
    type: "check.recorded",
    checkId: "c1",
    taskId: "a",
    attempt: 1,
    scope: "task",
    kind: "test",
    command: "node --test",
    status: "failed",
    exitCode: 1,
    durationMs: 3_400,
    passed: 12,
    failed: 1,
    commitSha: "abc",
  },
  { type: "review.verdict", taskId: "a", verdict: "fail", reasons: ["sum(2, 2) is 5"], attempt: 1 },
];

describe("check components", () => {
  it("a badge shows the status, the counts and the duration, and labels the host driver", () => {
    const out = text(
      renderToStaticMarkup(
        h(CheckBadge, {
          check: { status: "failed", kind: "test", passed: 12, failed: 1, durationMs: 3_400, driver: "host" },
        }),
      ),
    );
    expect(out).toBe("Tests failed · 12 passed · 1 failed · 3.4 s unsandboxed");
  });

  it("a check skipped for want of a sandbox says so", () => {
    const html = renderToStaticMarkup(
      h(CheckBadge, { check: { status: "skipped", kind: "build", driver: "none" } }),
    );
    expect(text(html)).toBe(`Build skipped ${NO_SANDBOX_MESSAGE}`);
    expect(html).toContain('data-status="skipped"');
  });

  it("a long command output is folded to its last lines", () => {
    const state = applyRunEvents(initialRunViewState({ status: "running" }), stored(runEvents));
    const command = state.commands.x1;
    if (!command) throw new Error("no command");
    const out = text(renderToStaticMarkup(h(CommandOutput, { command })));
    expect(out).toContain(`line 30`);
    expect(out).toContain(`line ${30 - FOLDED_LINES + 1}`);
    expect(out).not.toContain(`line ${30 - FOLDED_LINES} `);
    expect(out).toContain(`Show all (${30 - FOLDED_LINES} more lines)`);
    expect(out).toContain("exit 1 · 3.4 s");
    expect(out).toContain("unsandboxed");
  });

  it("the attempt history pairs each attempt's checks with its verdict", () => {
    const state = applyRunEvents(initialRunViewState({ status: "running" }), stored(runEvents));
    const out = text(
      renderToStaticMarkup(
        h(AttemptHistory, {
          attempts: [
            { attempt: 1, checks: Object.values(state.checks), verdict: state.tasks.a?.verdicts[0] ?? null },
            { attempt: 2, checks: [], verdict: null },
          ],
          checksUrl: "/api/x/checks",
        }),
      ),
    );
    expect(out).toContain("Attempt 1 Tests failed · 12 passed · 1 failed");
    expect(out).toContain("Review asked for changes sum(2, 2) is 5");
    expect(out).toContain("Attempt 2 No checks ran.");
  });

  it("the feed renders the command block and the check in the task's lane", () => {
    const state = applyRunEvents(initialRunViewState({ status: "running" }), stored(runEvents));
    const html = renderToStaticMarkup(
      h(LiveFeed, {
        lanes: orderedLanes(state),
        tasks: state.tasks,
        liveLaneKeys: new Set<string>(),
        commands: state.commands,
        checks: state.checks,
        checksUrl: "/api/x/checks",
      }),
    );
    expect(html).toContain('data-slot="command-output"');
    expect(html).toContain('data-check-id="c1"');
    expect(text(html)).toContain("Tests failed · 12 passed · 1 failed");
  });

  it("the task board shows the latest attempt's checks and the history", () => {
    const state = applyRunEvents(initialRunViewState({ status: "running" }), stored(runEvents));
    const out = text(
      renderToStaticMarkup(
        h(TaskBoard, { tasks: orderedTasks(state), checks: state.checks, checkOrder: state.checkOrder }),
      ),
    );
    expect(out).toContain("Tests failed · 12 passed · 1 failed");
    expect(out).toContain("Attempt history (1)");
  });

  it("branch badges read green or red; the project lists its branches linking to runs", () => {
    expect(
      text(
        renderToStaticMarkup(
          h(BranchCheckBadge, { summary: { status: "passed", passed: 4, failed: 0, durationMs: 900 } }),
        ),
      ),
    ).toBe("Branch green · 4 passed · 900 ms");
    const checks = {
      status: "failed" as const,
      passed: 3,
      failed: 1,
      durationMs: 0,
      commitSha: null,
      checkedAt: "",
      checks: [],
    };
    const html = renderToStaticMarkup(
      h(ProjectChecks, {
        org: "acme",
        project: "calc",
        status: {
          defaultBranch: { branch: "main", checks: null },
          runBranches: [
            { runId: "r1", runNumber: 2, goal: "Sum", runStatus: "failed", branch: "dm/2-sum", checks },
          ],
        },
      }),
    );
    expect(html).toContain('href="/acme/projects/calc/runs/r1"');
    expect(text(html)).toBe("main (default) Not checked yet dm/2-sum red · 3 passed · 1 failed");
  });

  it("the run says when code cannot run, and when it ran unsandboxed", () => {
    const out = text(
      renderToStaticMarkup(
        h(SandboxNotice, {
          sandbox: { unavailable: { message: NO_SANDBOX_MESSAGE, taskId: null, at: "" }, unsandboxed: true },
        }),
      ),
    );
    expect(out).toContain(NO_SANDBOX_MESSAGE);
    expect(out).toContain("Commands ran unsandboxed");
    expect(
      renderToStaticMarkup(h(SandboxNotice, { sandbox: { unavailable: null, unsandboxed: false } })),
    ).toBe("");
  });
});

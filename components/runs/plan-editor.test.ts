import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { isEditableTask, PlanReviewBanner } from "@/components/runs/plan-editor";
import { TaskBoard } from "@/components/runs/task-board";
import type { RunEvent, StoredRunEvent, TaskSnapshot } from "@/lib/runs/events";
import { applyRunEvents, initialRunViewState, orderedTasks } from "@/lib/runs/view-state";

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ")
    .trim();

const snapshot = (id: string, extra: Partial<TaskSnapshot> = {}): TaskSnapshot => ({
  id,
  key: id,
  title: `Task ${id}`,
  description: "",
  phaseKey: "build",
  agentSlug: "coder",
  priority: "medium",
  status: "todo",
  dependsOn: [],
  acceptanceCriteria: ["Works"],
  ...extra,
});

function state(events: RunEvent[]) {
  const stored = events.map(
    (e, i) =>
      ({ ...e, seq: i + 1, at: new Date(Date.UTC(2026, 11, 4, 9, 0, i)).toISOString() }) as StoredRunEvent,
  );
  return applyRunEvents(initialRunViewState({ status: "running" }), stored);
}

const noop = async () => undefined;
const edit = { onAdd: () => {}, onEdit: () => {}, onRemove: noop, onMove: noop };

describe("plan edit controls on the task board", () => {
  it("shows Add task and the controls on tasks not started only, and marks external workers' tasks", () => {
    const s = state([
      {
        type: "run.plan",
        phases: [{ key: "build", title: "Build" }],
        tasks: [snapshot("a"), snapshot("b", { worker: "external" }), snapshot("c")],
      },
      { type: "task.status", taskId: "a", status: "in_progress" },
    ]);
    const tasks = orderedTasks(s);
    expect(tasks.map(isEditableTask)).toEqual([false, true, true]);
    const html = renderToStaticMarkup(h(TaskBoard, { tasks, phases: s.phases, edit }));
    expect(text(html)).toContain("Add task");
    expect(html.match(/aria-label="Change /g)).toHaveLength(2);
    expect(html).not.toContain('aria-label="Change Task a"');
    expect(text(html)).toContain("External worker");
    // The first editable task cannot move up, the last cannot move down.
    expect(
      html.match(/aria-label="Move up" title="Move up" disabled=""/g) ??
        html.match(/disabled="" aria-label="Move up"/g),
    ).toHaveLength(1);
    expect(renderToStaticMarkup(h(TaskBoard, { tasks, phases: s.phases }))).not.toContain("Add task");
  });

  it("offers 'Review plan — start run' to members only", () => {
    expect(
      text(
        renderToStaticMarkup(
          h(PlanReviewBanner, { onApprove: async () => ({ ok: true as const, data: null }) }),
        ),
      ),
    ).toContain("Review plan — start run");
    const viewer = text(renderToStaticMarkup(h(PlanReviewBanner, {})));
    expect(viewer).toContain("The plan waits for your review");
    expect(viewer).not.toContain("start run");
  });
});

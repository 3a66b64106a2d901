import { describe, expect, it } from "vitest";
import type { TaskPriority } from "./plan";
import { type SchedulableTask, schedule, type TaskStatus } from "./schedule";

let order = 0;
function task(
  key: string,
  status: TaskStatus,
  dependsOn: string[] = [],
  priority: TaskPriority = "medium",
): SchedulableTask {
  return { key, status, dependsOn, priority, order: order++ };
}

describe("schedule", () => {
  it("starts tasks whose dependencies are done, by priority then plan order", () => {
    const tasks = [
      task("a", "done"),
      task("b", "todo", ["a"], "medium"),
      task("c", "todo", ["a"], "critical"),
      task("d", "todo", [], "medium"),
      task("e", "todo", ["b"], "critical"),
      task("f", "todo", [], "low"),
      task("g", "todo", [], "high"),
    ];
    const decision = schedule(tasks, { maxParallel: 10 });
    expect(decision.start).toEqual(["c", "g", "b", "d", "f"]);
    expect(decision.stuck).toBe(false);
    expect(decision.finished).toBe(false);
  });

  it("within one priority, starts first the task with the longest chain of work waiting on it", () => {
    const tasks = [
      task("leaf", "todo"),
      task("head", "todo"),
      task("mid", "todo", ["head"]),
      task("tail", "todo", ["mid"]),
      task("urgent", "todo", [], "high"),
    ];
    expect(schedule(tasks, { maxParallel: 2 }).start).toEqual(["urgent", "head"]);
  });

  it("caps active work at maxParallel, counting tasks in progress and in review", () => {
    const tasks = [
      task("a", "in_progress"),
      task("b", "review"),
      task("c", "todo", [], "low"),
      task("d", "todo", [], "high"),
      task("e", "todo"),
    ];
    const decision = schedule(tasks, { maxParallel: 3 });
    expect(decision.active).toEqual(["a", "b"]);
    expect(decision.start).toEqual(["d"]);
    expect(decision.queued).toEqual(["e", "c"]);
    expect(schedule(tasks, { maxParallel: 2 }).start).toEqual([]);
  });

  it("does not start a task whose dependency is only in review or blocked", () => {
    const decision = schedule([
      task("a", "review"),
      task("b", "blocked"),
      task("c", "todo", ["a"]),
      task("d", "todo", ["b"]),
    ]);
    expect(decision.start).toEqual([]);
    expect(decision.waitingOnHuman).toEqual(["b"]);
    expect(decision.stuck).toBe(false);
  });

  it("is waiting, not stuck, while a person must answer", () => {
    const decision = schedule([task("a", "blocked"), task("b", "todo", ["a"])]);
    expect(decision).toMatchObject({
      start: [],
      active: [],
      waitingOnHuman: ["a"],
      stuck: false,
      finished: false,
    });
  });

  it("detects a stuck run behind a failed task and names what can never start", () => {
    const decision = schedule([
      task("a", "done"),
      task("b", "failed", ["a"]),
      task("c", "todo", ["b"]),
      task("d", "todo", ["c"]),
      task("e", "cancelled"),
      task("f", "todo", ["e"]),
    ]);
    expect(decision.start).toEqual([]);
    expect(decision.unreachable).toEqual(["c", "d", "f"]);
    expect(decision.stuck).toBe(true);
  });

  it("is not stuck while other branches can still run", () => {
    const decision = schedule([task("a", "failed"), task("b", "todo", ["a"]), task("c", "todo")]);
    expect(decision.start).toEqual(["c"]);
    expect(decision.unreachable).toEqual(["b"]);
    expect(decision.stuck).toBe(false);
  });

  it("treats unknown dependencies and loops as unreachable", () => {
    const decision = schedule([
      task("a", "todo", ["ghost"]),
      task("b", "todo", ["c"]),
      task("c", "todo", ["b"]),
    ]);
    expect(decision.unreachable).toEqual(["a", "b", "c"]);
    expect(decision.stuck).toBe(true);
  });

  it("is finished when everything is done or cancelled", () => {
    expect(schedule([task("a", "done"), task("b", "cancelled")])).toMatchObject({
      finished: true,
      stuck: false,
    });
    expect(schedule([task("a", "done"), task("b", "failed")])).toMatchObject({
      finished: false,
      stuck: true,
    });
    expect(schedule([])).toMatchObject({ finished: true, stuck: false, start: [] });
  });
});

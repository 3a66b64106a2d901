import { TASK_PRIORITIES, type TaskPriority } from "./plan";

export const TASK_STATUSES = [
  "todo",
  "in_progress",
  "blocked",
  /** An external worker (an IDE agent over MCP) is to claim and work the task; it holds no slot. */
  "waiting_worker",
  "review",
  "done",
  "failed",
  "cancelled",
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export type SchedulableTask = {
  key: string;
  status: TaskStatus;
  dependsOn: readonly string[];
  priority: TaskPriority;
  /** Position in the plan; breaks ties between equal priorities. */
  order: number;
};

export type ScheduleDecision = {
  /** Tasks to start now, best first, at most the free parallel slots. */
  start: string[];
  /** Ready tasks left for later because every slot is taken. */
  queued: string[];
  /** Tasks occupying a slot: an agent working (`in_progress`) or the reviewer gate (`review`). */
  active: string[];
  /** Tasks waiting on a person (input or approval); they hold no slot. */
  waitingOnHuman: string[];
  /** `todo` tasks that can never start: a dependency failed, was cancelled or does not exist. */
  unreachable: string[];
  /** Every task is done or cancelled. */
  finished: boolean;
  /** Nothing can start, nothing is active or waiting on a person, yet the run is not finished. */
  stuck: boolean;
};

export const DEFAULT_MAX_PARALLEL = 3;

const PRIORITY_RANK = Object.fromEntries(TASK_PRIORITIES.map((p, i) => [p, i])) as Record<
  TaskPriority,
  number
>;

/** Highest priority first, then plan order. */
export function compareTasks(a: SchedulableTask, b: SchedulableTask): number {
  return (
    PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.order - b.order || a.key.localeCompare(b.key)
  );
}

/**
 * What to do next in a run, given every task's status. A task is ready when it is `todo` and all
 * its dependencies are `done`; ready tasks start by priority then plan order, up to `maxParallel`
 * active tasks at once.
 */
export function schedule(
  tasks: readonly SchedulableTask[],
  { maxParallel = DEFAULT_MAX_PARALLEL }: { maxParallel?: number } = {},
): ScheduleDecision {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const sorted = [...tasks].sort(compareTasks);

  // Whether a task can still reach `done`: not failed or cancelled, and (for `todo`) every
  // dependency can too. A dependency loop among unfinished tasks can never start either.
  const memo = new Map<string, boolean>();
  const canFinish = (key: string, visiting: Set<string>): boolean => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const task = byKey.get(key);
    if (!task || visiting.has(key)) return false;
    let result: boolean;
    if (task.status === "failed" || task.status === "cancelled") result = false;
    else if (task.status !== "todo") result = true;
    else {
      visiting.add(key);
      result = task.dependsOn.every((dep) => canFinish(dep, visiting));
      visiting.delete(key);
    }
    memo.set(key, result);
    return result;
  };
  const unreachable = sorted
    .filter((t) => t.status === "todo" && !canFinish(t.key, new Set()))
    .map((t) => t.key);

  const active = sorted.filter((t) => t.status === "in_progress" || t.status === "review").map((t) => t.key);
  const waitingOnHuman = sorted
    .filter((t) => t.status === "blocked" || t.status === "waiting_worker")
    .map((t) => t.key);
  // Among ready tasks of one priority, the one with the longest chain of work waiting on it goes
  // first (durations are unknown, so a chain counts tasks): it keeps the critical path moving.
  const dependents = new Map<string, string[]>();
  for (const t of tasks)
    for (const dep of t.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), t.key]);
  const heights = new Map<string, number>();
  const height = (key: string, visiting: Set<string>): number => {
    const known = heights.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return 0;
    visiting.add(key);
    const h = 1 + Math.max(0, ...(dependents.get(key) ?? []).map((d) => height(d, visiting)));
    visiting.delete(key);
    heights.set(key, h);
    return h;
  };
  const ready = sorted
    .filter((t) => t.status === "todo" && t.dependsOn.every((dep) => byKey.get(dep)?.status === "done"))
    .sort(
      (a, b) =>
        PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] ||
        height(b.key, new Set()) - height(a.key, new Set()) ||
        compareTasks(a, b),
    )
    .map((t) => t.key);

  const slots = Math.max(0, Math.floor(maxParallel) - active.length);
  const finished = tasks.every((t) => t.status === "done" || t.status === "cancelled");

  return {
    start: ready.slice(0, slots),
    queued: ready.slice(slots),
    active,
    waitingOnHuman,
    unreachable,
    finished,
    stuck: !finished && ready.length === 0 && active.length === 0 && waitingOnHuman.length === 0,
  };
}

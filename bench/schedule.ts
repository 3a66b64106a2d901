/**
 * Scheduling makespan against the lower bound, by simulation (npm run bench:schedule).
 *
 * For seeded plans of 20 tasks with random dependencies and durations from a wide distribution
 * (5 s to 5 min, log-uniform), it runs the real scheduler (`schedule()` from lib/runs/schedule.ts)
 * under two policies and prints each makespan next to the bound max(critical path, work / limit):
 *   rounds — the run function before: start the ready tasks, wait for all of them, repeat;
 *   eager  — the run function now: a finished task starts what it made ready, up to the limit.
 * Simulated time, not the run function on the engine: it measures the policy, not step overhead.
 */
import { DEFAULT_MAX_PARALLEL, type SchedulableTask, schedule, type TaskStatus } from "../lib/runs/schedule";

type Task = { key: string; dependsOn: string[]; duration: number; order: number };

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function plan(seed: number, size = 20): Task[] {
  const random = rng(seed);
  const tasks: Task[] = [];
  for (let i = 0; i < size; i++) {
    const dependsOn = tasks
      .filter(() => random() < 2.2 / Math.max(1, i))
      .map((t) => t.key)
      .slice(0, 3);
    const duration = Math.exp(Math.log(5) + random() * (Math.log(300) - Math.log(5)));
    tasks.push({ key: `t${i}`, dependsOn, duration, order: i });
  }
  return tasks;
}

function bound(tasks: Task[], limit: number): { critical: number; bound: number } {
  const finish = new Map<string, number>();
  for (const t of tasks)
    finish.set(t.key, t.duration + Math.max(0, ...t.dependsOn.map((d) => finish.get(d) ?? 0)));
  const critical = Math.max(...finish.values());
  const work = tasks.reduce((n, t) => n + t.duration, 0);
  return { critical, bound: Math.max(critical, work / limit) };
}

function simulate(tasks: Task[], limit: number, policy: "rounds" | "eager"): number {
  const status = new Map<string, TaskStatus>(tasks.map((t) => [t.key, "todo"]));
  const view = (): SchedulableTask[] =>
    tasks.map((t) => ({
      key: t.key,
      status: status.get(t.key) as TaskStatus,
      dependsOn: t.dependsOn,
      priority: "medium",
      order: t.order,
    }));
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const running = new Map<string, number>(); // key → finish time
  let now = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const decision = schedule(view(), { maxParallel: limit });
    if (decision.finished) return now;
    for (const key of decision.start) {
      status.set(key, "in_progress");
      running.set(key, now + (byKey.get(key) as Task).duration);
    }
    if (!running.size) throw new Error("stuck");
    if (policy === "rounds") {
      now = Math.max(...running.values());
      for (const key of running.keys()) status.set(key, "done");
      running.clear();
    } else {
      const next = Math.min(...running.values());
      now = next;
      for (const [key, at] of running) {
        if (at > next) continue;
        status.set(key, "done");
        running.delete(key);
      }
    }
  }
  throw new Error("did not finish");
}

const limit = DEFAULT_MAX_PARALLEL;
const fmt = (s: number) => `${s.toFixed(0).padStart(5)} s`;
console.log(`20 tasks, parallel limit ${limit}; makespan / bound (target ≤ 1.05)`);
console.log("seed   critical     bound      rounds          eager");
for (const seed of [1, 2, 3, 4, 5, 6]) {
  const tasks = plan(seed);
  const b = bound(tasks, limit);
  const rounds = simulate(tasks, limit, "rounds");
  const eager = simulate(tasks, limit, "eager");
  console.log(
    `${String(seed).padStart(4)}  ${fmt(b.critical)}  ${fmt(b.bound)}  ${fmt(rounds)} ${(rounds / b.bound).toFixed(2)}×  ${fmt(eager)} ${(eager / b.bound).toFixed(2)}×`,
  );
}

import { sql } from "drizzle-orm";
import { NonRetriableError, RetryAfterError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cancelRuns } from "@/lib/engine/cancel-runs";
import type { Engine } from "@/lib/engine/engine";
import { RegistrationError } from "@/lib/engine/registry";
import { signatureHeader } from "@/lib/engine/signing";
import { rows } from "@/lib/engine/store";
import {
  createTestApp,
  eventually,
  finishedRuns,
  resetEngineTables,
  runsOf,
  stepsOf,
} from "./support/harness";

/**
 * Real SDK functions, served by the real `serve` handler from inngest/next, driven by the engine
 * over the HTTP execution protocol with signed requests. One test per supported feature.
 */

const app = createTestApp();
const { client } = app;
/** Executions of step bodies, keyed by "<test>:<step>": a stored step must never run again. */
const executions = new Map<string, number>();
const count = (key: string) => executions.set(key, (executions.get(key) ?? 0) + 1).get(key) as number;
const timestamps = new Map<string, number[]>();
const stamp = (key: string) => timestamps.set(key, [...(timestamps.get(key) ?? []), Date.now()]);

const sequential = client.createFunction(
  { id: "sequential", triggers: [{ event: "t/sequential" }] },
  async ({ event, step }) => {
    const a = await step.run("a", () => {
      count(`seq:${event.data.k}:a`);
      return Number(event.data.n) + 1;
    });
    const b = await step.run("b", () => {
      count(`seq:${event.data.k}:b`);
      return { doubled: a * 2, text: "ünïcødé" };
    });
    return { a, b };
  },
);

const filtered = client.createFunction(
  {
    id: "filtered",
    triggers: [{ event: "t/filtered", if: "event.data.plan == 'pro' && event.data.seats >= 5" }],
  },
  async ({ event }) => event.data.seats,
);

const parallel = client.createFunction(
  { id: "parallel", triggers: [{ event: "t/parallel" }] },
  async ({ step }) => {
    const [x, y, z] = await Promise.all([
      step.run("x", () => count("par:x") && "X"),
      step.run("y", () => count("par:y") && "Y"),
      step.run("z", () => count("par:z") && "Z"),
    ]);
    const after = await step.run("after", () => {
      count("par:after");
      return `${x}${y}${z}`;
    });
    return after;
  },
);

const sleeper = client.createFunction(
  { id: "sleeper", triggers: [{ event: "t/sleep" }] },
  async ({ step }) => {
    const before = await step.run("before", () => Date.now());
    await step.sleep("nap", "1s");
    const middle = await step.run("middle", () => Date.now());
    await step.sleepUntil("until", new Date(middle + 1000));
    const after = await step.run("after", () => Date.now());
    return { slept: middle - before, sleptUntil: after - middle };
  },
);

const waiter = client.createFunction(
  { id: "waiter", triggers: [{ event: "t/wait" }] },
  async ({ event, step }) => {
    const approved = await step.waitForEvent("approval", {
      event: "t/approved",
      match: "data.orderId",
      timeout: event.data.timeout ?? "30s",
    });
    const big = await step.waitForEvent("big-payment", {
      event: "t/paid",
      if: "async.data.amount > 100 && event.data.orderId == async.data.orderId",
      timeout: event.data.timeout ?? "30s",
    });
    return { approved: approved?.data ?? null, paid: big?.data ?? null };
  },
);

const child = client.createFunction(
  { id: "child", triggers: [{ event: "t/child" }] },
  async ({ event, step }) => {
    const doubled = await step.run("double", () => event.data.x * 2);
    if (event.data.fail) throw new NonRetriableError("child refused");
    return { doubled };
  },
);

const parent = client.createFunction(
  { id: "parent", triggers: [{ event: "t/parent" }] },
  async ({ step }) => {
    const ok = await step.invoke("call-child", { function: child, data: { x: 21 } });
    const failed = await step
      .invoke("call-failing-child", { function: child, data: { x: 1, fail: true } })
      .then(() => "no error")
      .catch((e: Error) => `caught: ${e.message}`);
    return { ok, failed };
  },
);

const sleepyChild = client.createFunction(
  { id: "sleepy-child", triggers: [{ event: "t/sleepy" }] },
  async ({ step }) => {
    await step.sleep("nap", "1s");
    return "rested";
  },
);

const parallelInvoke = client.createFunction(
  { id: "parallel-invoke", triggers: [{ event: "t/parallel-invoke" }] },
  async ({ step }) => {
    const [invoked, beside] = await Promise.all([
      step.invoke("call-sleepy-child", { function: sleepyChild, data: {} }),
      step.run("beside", () => "done"),
    ]);
    return { invoked, beside };
  },
);

const slowChild = client.createFunction(
  { id: "slow-child", triggers: [{ event: "t/slow-child" }] },
  async ({ step }) => {
    await step.sleep("dawdle", "1m");
    return "too late";
  },
);

const impatient = client.createFunction(
  { id: "impatient", triggers: [{ event: "t/impatient" }] },
  async ({ step }) =>
    step
      .invoke("call-slow-child", { function: slowChild, data: {}, timeout: "1s" })
      .then(() => "no error")
      .catch((e: Error) => `caught: ${e.message}`),
);

const sender = client.createFunction(
  { id: "sender", triggers: [{ event: "t/send" }] },
  async ({ event, step }) => {
    const { ids } = await step.sendEvent("notify", { name: "t/notified", data: { from: event.data.k } });
    return ids.length;
  },
);
const notified = client.createFunction(
  { id: "notified", triggers: [{ event: "t/notified" }] },
  async ({ event }) => {
    return event.data.from;
  },
);

const flaky = client.createFunction(
  { id: "flaky", retries: 3, triggers: [{ event: "t/flaky" }] },
  async ({ step }) => {
    const value = await step.run("flaky-step", () => {
      if (count("flaky:step") < 3) throw new Error("transient");
      return "ok";
    });
    await step.run("after", () => count("flaky:after"));
    return value;
  },
);

const exhausted = client.createFunction(
  { id: "exhausted", retries: 1, triggers: [{ event: "t/exhausted" }] },
  async ({ step }) => {
    await step.run("always-fails", () => {
      count("exhausted:step");
      throw new Error("still broken");
    });
  },
);

const fnLevel = client.createFunction(
  { id: "fn-level", retries: 2, triggers: [{ event: "t/fn-level" }] },
  async () => {
    if (count("fn-level") < 2) throw new Error("outside any step");
    return "recovered";
  },
);

const nonRetriable = client.createFunction(
  { id: "non-retriable", retries: 5, triggers: [{ event: "t/non-retriable" }] },
  async ({ step }) => {
    await step.run("reject", () => {
      count("non-retriable");
      throw new NonRetriableError("bad input");
    });
  },
);

const retryAfter = client.createFunction(
  { id: "retry-after", retries: 2, triggers: [{ event: "t/retry-after" }] },
  async ({ step }) =>
    step.run("rate-limited", () => {
      stamp("retry-after");
      if (count("retry-after") === 1) throw new RetryAfterError("slow down", 1000);
      return "done";
    }),
);

const withFailureHandler = client.createFunction(
  {
    id: "with-on-failure",
    retries: 0,
    triggers: [{ event: "t/on-failure" }],
    onFailure: async ({ event, error, step }) => {
      await step.run("record", () => {
        timestamps.set(`on-failure:${error.message}:${event.data.event.data.order}`, [Date.now()]);
      });
    },
  },
  async () => {
    throw new Error("payment declined");
  },
);

const cancellable = client.createFunction(
  {
    id: "cancellable",
    triggers: [{ event: "t/cancellable" }],
    cancelOn: [{ event: "t/cancel", match: "data.orderId" }],
  },
  async ({ step }) => {
    await step.run("first", () => count("cancellable:first"));
    await step.sleep("long", "1h");
    await step.run("never", () => count("cancellable:never"));
  },
);

function barrier(size: number) {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((r) => {
    release = r;
  });
  return async (timeoutMs: number) => {
    if (++arrived >= size) release();
    return Promise.race([
      all.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs)),
    ]);
  };
}

let inFlight = 0;
let maxInFlight = 0;
const startOrder: number[] = [];
const limited = client.createFunction(
  { id: "limited", concurrency: 1, triggers: [{ event: "t/limited" }] },
  async ({ event, step }) => {
    await step.run("work", async () => {
      startOrder.push(event.data.i);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
    });
  },
);

const perKeyInFlight = new Map<string, number>();
const perKeyMax = new Map<string, number>();
const acrossKeys = barrier(2);
const keyed = client.createFunction(
  { id: "keyed", concurrency: { limit: 1, key: "event.data.orgId" }, triggers: [{ event: "t/keyed" }] },
  async ({ event, step }) => {
    return step.run("work", async () => {
      const org = event.data.orgId as string;
      const now = (perKeyInFlight.get(org) ?? 0) + 1;
      perKeyInFlight.set(org, now);
      perKeyMax.set(org, Math.max(perKeyMax.get(org) ?? 0, now));
      // Runs of different organizations must be able to run at the same time.
      const together = event.data.first ? await acrossKeys(10_000) : true;
      await new Promise((r) => setTimeout(r, 20));
      perKeyInFlight.set(org, (perKeyInFlight.get(org) ?? 1) - 1);
      return together;
    });
  },
);

const scheduled = client.createFunction(
  { id: "scheduled", triggers: [{ cron: "*/5 * * * *" }] },
  async ({ event }) => {
    return event.name;
  },
);

const oversized = client.createFunction(
  { id: "oversized", triggers: [{ event: "t/oversized" }] },
  async ({ step }) => {
    const message = await step
      .run("huge", () => "x".repeat(5 * 1024 * 1024))
      .then(() => "stored")
      .catch((e: Error) => e.message);
    return message;
  },
);

let replayShouldFail = true;
const replayable = client.createFunction(
  { id: "replayable", retries: 0, triggers: [{ event: "t/replayable" }] },
  async ({ step }) =>
    step.run("maybe", () => {
      if (replayShouldFail) throw new Error("first time fails");
      return "replayed fine";
    }),
);

const badWait = client.createFunction(
  { id: "bad-wait", triggers: [{ event: "t/bad-wait" }] },
  async ({ step }) => {
    return step
      .waitForEvent("odd", { event: "t/x", if: "size(async.data.items) > 2", timeout: "5s" })
      .then(() => "no error")
      .catch((e: Error) => e.message);
  },
);

const functions = [
  sequential,
  filtered,
  parallel,
  sleeper,
  waiter,
  child,
  parent,
  sleepyChild,
  parallelInvoke,
  slowChild,
  impatient,
  sender,
  notified,
  flaky,
  exhausted,
  fnLevel,
  nonRetriable,
  retryAfter,
  withFailureHandler,
  cancellable,
  limited,
  keyed,
  scheduled,
  oversized,
  replayable,
  badWait,
];

let engine: Engine;
let handler: (req: Request) => Promise<Response>;

beforeAll(async () => {
  await resetEngineTables();
  const started = await app.start(functions);
  engine = started.engine;
  handler = (req) => started.handler(req as never, undefined);
});
afterAll(() => app.stop());

const output = <T>(run: { output: string | null } | undefined) => JSON.parse(run?.output ?? "null") as T;

describe.concurrent("embedded engine conformance", () => {
  it("runs an event-triggered function step by step and stores each result", async () => {
    await client.send({ name: "t/sequential", data: { n: 1, k: "one" } });
    const [run] = await finishedRuns(app.fnId("sequential"));
    expect(run?.status).toBe("completed");
    expect(output(run)).toEqual({ a: 2, b: { doubled: 4, text: "ünïcødé" } });
    const steps = await stepsOf(run?.id as string);
    expect(steps.map((s) => [s.step_id, s.status])).toEqual([
      ["a", "completed"],
      ["b", "completed"],
    ]);
    expect(executions.get("seq:one:a")).toBe(1);
    expect(executions.get("seq:one:b")).toBe(1);
  });

  it("starts a run only for events matching the trigger's `if`", async () => {
    await client.send([
      { name: "t/filtered", data: { plan: "free", seats: 10 } },
      { name: "t/filtered", data: { plan: "pro", seats: 2 } },
      { name: "t/filtered", data: { plan: "pro", seats: 7 } },
    ]);
    const [run] = await finishedRuns(app.fnId("filtered"));
    expect(output(run)).toBe(7);
    await new Promise((r) => setTimeout(r, 200));
    expect(await runsOf(app.fnId("filtered"))).toHaveLength(1);
  });

  it("runs parallel steps (Promise.all) once each, then the step after them once", async () => {
    await client.send({ name: "t/parallel", data: {} });
    const [run] = await finishedRuns(app.fnId("parallel"));
    expect(output(run)).toBe("XYZ");
    for (const k of ["x", "y", "z", "after"]) expect(executions.get(`par:${k}`)).toBe(1);
  });

  it("sleeps for a duration and until a date", async () => {
    await client.send({ name: "t/sleep", data: {} });
    const [run] = await finishedRuns(app.fnId("sleeper"), 1, 20_000);
    const result = output<{ slept: number; sleptUntil: number }>(run);
    expect(result.slept).toBeGreaterThanOrEqual(1000);
    expect(result.sleptUntil).toBeGreaterThanOrEqual(900);
    const steps = await stepsOf(run?.id as string);
    expect(steps.find((s) => s.step_id === "nap")?.op).toBe("sleep");
  });

  it("waits for a matching event (match and if), and returns null on timeout", async () => {
    await client.send([
      { name: "t/wait", data: { orderId: "o-1" } },
      { name: "t/wait", data: { orderId: "o-2", timeout: "1s" } },
    ]);
    const fnId = app.fnId("waiter");
    await eventually(async () => {
      const runs = await runsOf(fnId);
      const waiting = await Promise.all(runs.map((r) => stepsOf(r.id)));
      return waiting.length === 2 && waiting.every((s) => s.some((x) => x.status === "waiting"));
    });
    await client.send([
      { name: "t/approved", data: { orderId: "someone-else" } },
      { name: "t/approved", data: { orderId: "o-1", by: "ana" } },
    ]);
    await eventually(async () => {
      const [first] = await runsOf(fnId);
      const steps = await stepsOf(first?.id as string);
      return steps.some((s) => s.step_id === "big-payment" && s.status === "waiting");
    });
    await client.send([
      { name: "t/paid", data: { orderId: "o-1", amount: 50 } },
      { name: "t/paid", data: { orderId: "o-1", amount: 500 } },
    ]);
    const runs = await finishedRuns(fnId, 2, 20_000);
    const byOrder = Object.fromEntries(
      runs.map((r) => [JSON.parse(r.output ?? "{}").approved?.orderId ?? "timeout", r]),
    );
    expect(output(byOrder["o-1"])).toEqual({
      approved: { orderId: "o-1", by: "ana" },
      paid: { orderId: "o-1", amount: 500 },
    });
    expect(output(byOrder.timeout)).toEqual({ approved: null, paid: null });
  });

  it("invokes another function and gets its result or its error", async () => {
    await client.send({ name: "t/parent", data: {} });
    const [run] = await finishedRuns(app.fnId("parent"));
    expect(output(run)).toEqual({ ok: { doubled: 42 }, failed: "caught: child refused" });
    const db = await getDb();
    const children = await rows<{ status: string }>(
      db,
      sql`select status from engine_runs where parent_run_id = ${run?.id as string} order by status`,
    );
    expect(children.map((c) => c.status)).toEqual(["completed", "failed"]);
  });

  it("starts one child for an invoke that runs beside other steps", async () => {
    await client.send({ name: "t/parallel-invoke", data: {} });
    const [run] = await finishedRuns(app.fnId("parallel-invoke"));
    expect(output(run)).toEqual({ invoked: "rested", beside: "done" });
    const db = await getDb();
    const children = await rows(
      db,
      sql`select id from engine_runs where parent_run_id = ${run?.id as string}`,
    );
    expect(children).toHaveLength(1);
  });

  it("fails an invoke step that outlives its timeout", async () => {
    await client.send({ name: "t/impatient", data: {} });
    const [run] = await finishedRuns(app.fnId("impatient"), 1, 20_000);
    expect(output(run)).toMatch(/caught: .*Timed out/);
  });

  it("sends events from a step (step.sendEvent) that trigger other functions", async () => {
    await client.send({ name: "t/send", data: { k: "hello" } });
    const [run] = await finishedRuns(app.fnId("sender"));
    expect(output(run)).toBe(1);
    const [got] = await finishedRuns(app.fnId("notified"));
    expect(output(got)).toBe("hello");
  });

  it("retries a failing step with backoff and keeps earlier results", async () => {
    await client.send({ name: "t/flaky", data: {} });
    const [run] = await finishedRuns(app.fnId("flaky"));
    expect(run?.status).toBe("completed");
    expect(output(run)).toBe("ok");
    expect(executions.get("flaky:step")).toBe(3);
    expect(executions.get("flaky:after")).toBe(1);
    expect(run?.attempts).toBe(2);
    const step = (await stepsOf(run?.id as string)).find((s) => s.step_id === "flaky-step");
    expect(step?.attempt).toBe(2);
  });

  it("fails the run once `retries` are exhausted", async () => {
    await client.send({ name: "t/exhausted", data: {} });
    const [run] = await finishedRuns(app.fnId("exhausted"));
    expect(run?.status).toBe("failed");
    expect(run?.error?.message).toContain("still broken");
    expect(executions.get("exhausted:step")).toBe(2);
  });

  it("retries errors thrown outside steps", async () => {
    await client.send({ name: "t/fn-level", data: {} });
    const [run] = await finishedRuns(app.fnId("fn-level"));
    expect(output(run)).toBe("recovered");
    expect(executions.get("fn-level")).toBe(2);
  });

  it("does not retry a NonRetriableError", async () => {
    await client.send({ name: "t/non-retriable", data: {} });
    const [run] = await finishedRuns(app.fnId("non-retriable"));
    expect(run?.status).toBe("failed");
    expect(run?.error?.message).toContain("bad input");
    expect(executions.get("non-retriable")).toBe(1);
  });

  it("waits as long as a RetryAfterError asks before retrying", async () => {
    await client.send({ name: "t/retry-after", data: {} });
    const [run] = await finishedRuns(app.fnId("retry-after"));
    expect(output(run)).toBe("done");
    const [first, second] = timestamps.get("retry-after") ?? [];
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("runs onFailure with the error and the original event", async () => {
    await client.send({ name: "t/on-failure", data: { order: "A-7" } });
    const [run] = await finishedRuns(app.fnId("with-on-failure"));
    expect(run?.status).toBe("failed");
    const [handlerRun] = await finishedRuns(app.fnId("with-on-failure-failure"));
    expect(handlerRun?.status).toBe("completed");
    expect(timestamps.has("on-failure:payment declined:A-7")).toBe(true);
  });

  it("cancels runs on a matching cancelOn event, by the cancellation API and by the engine", async () => {
    const startedAfter = new Date(Date.now() - 1000);
    await client.send(["c-1", "c-2", "c-3"].map((orderId) => ({ name: "t/cancellable", data: { orderId } })));
    const fnId = app.fnId("cancellable");
    const statuses = async () => {
      const db = await getDb();
      const found = await rows<{ id: string; status: string; event: string }>(
        db,
        sql`select id, status, event from engine_runs where function_id = ${fnId}`,
      );
      return new Map(found.map((r) => [JSON.parse(r.event).data.orderId as string, r]));
    };
    await eventually(async () => {
      const runs = await runsOf(fnId);
      const steps = await Promise.all(runs.map((r) => stepsOf(r.id)));
      return steps.length === 3 && steps.every((s) => s.some((x) => x.status === "sleeping"));
    });

    await client.send({ name: "t/cancel", data: { orderId: "c-1" } });
    await eventually(async () => (await statuses()).get("c-1")?.status === "cancelled");
    expect((await statuses()).get("c-2")?.status).toBe("running");

    // Inngest's REST bulk cancellation, through the client: only runs whose event matches `if`.
    await cancelRuns(client, {
      functionId: "cancellable",
      startedAfter,
      startedBefore: new Date(),
      if: "event.data.orderId == 'c-3'",
    });
    expect((await statuses()).get("c-3")?.status).toBe("cancelled");
    expect((await statuses()).get("c-2")?.status).toBe("running");
    await expect(
      cancelRuns(client, {
        functionId: "cancellable",
        startedAfter,
        startedBefore: new Date(),
        if: "size(x)",
      }),
    ).rejects.toThrow(/400.*function and macro calls/);

    const other = (await statuses()).get("c-2")?.id as string;
    expect(await engine.cancelRun(other)).toBe(true);
    expect(await engine.cancelRun(other)).toBe(false);
    expect([...(await statuses()).values()].every((r) => r.status === "cancelled")).toBe(true);
    expect(executions.get("cancellable:first")).toBe(3);
    expect(executions.get("cancellable:never")).toBeUndefined();
    const db = await getDb();
    const jobs = await rows(db, sql`select 1 from engine_jobs where function_id = ${fnId}`);
    expect(jobs).toHaveLength(0);
  });

  it("limits concurrency per function and starts queued runs in order", async () => {
    await client.send([0, 1, 2, 3, 4].map((i) => ({ name: "t/limited", data: { i } })));
    await finishedRuns(app.fnId("limited"), 5);
    expect(maxInFlight).toBe(1);
    expect(startOrder).toEqual([0, 1, 2, 3, 4]);
  });

  it("limits concurrency per key, while different keys run side by side", async () => {
    await client.send([
      { name: "t/keyed", data: { orgId: "org-a", first: true } },
      { name: "t/keyed", data: { orgId: "org-b", first: true } },
      { name: "t/keyed", data: { orgId: "org-a" } },
      { name: "t/keyed", data: { orgId: "org-a" } },
      { name: "t/keyed", data: { orgId: "org-b" } },
    ]);
    const runs = await finishedRuns(app.fnId("keyed"), 5, 20_000);
    expect(runs.every((r) => output(r) === true)).toBe(true);
    expect(perKeyMax.get("org-a")).toBe(1);
    expect(perKeyMax.get("org-b")).toBe(1);
  });

  it("schedules cron functions and runs them when due", async () => {
    const fnId = app.fnId("scheduled");
    const db = await getDb();
    const [job] = await rows<{ due_ms: number }>(
      db,
      sql`select extract(epoch from available_at)::float8 * 1000 as due_ms from engine_jobs where kind = 'cron' and function_id = ${fnId}`,
    );
    expect(job).toBeDefined();
    expect(new Date(job?.due_ms ?? 0).getUTCMinutes() % 5).toBe(0);
    expect(job?.due_ms).toBeGreaterThan(Date.now());
    await db.execute(
      sql`update engine_jobs set available_at = now() where kind = 'cron' and function_id = ${fnId}`,
    );
    engine.wake();
    const [run] = await finishedRuns(fnId);
    expect(output(run)).toBe("inngest/scheduled.timer");
    const [next] = await rows<{ due_ms: number }>(
      db,
      sql`select extract(epoch from available_at)::float8 * 1000 as due_ms from engine_jobs where kind = 'cron' and function_id = ${fnId}`,
    );
    expect(next?.due_ms).toBeGreaterThan(Date.now());
  });

  it("fails a step whose output is over 4 MB, not the engine", async () => {
    await client.send({ name: "t/oversized", data: {} });
    const [run] = await finishedRuns(app.fnId("oversized"), 1, 20_000);
    expect(run?.status).toBe("completed");
    expect(output<string>(run)).toMatch(/over the 4\.0 MB limit/);
    const [step] = await stepsOf(run?.id as string);
    expect(step?.status).toBe("failed");
  });

  it("rejects events over the size limit with a clear error", async () => {
    await expect(client.send({ name: "t/too-big", data: { blob: "x".repeat(300 * 1024) } })).rejects.toThrow(
      /over the 256 KB limit/,
    );
  });

  it("dedupes events sent with the same id", async () => {
    const ids = await engine.send([
      { name: "t/sequential", id: "same-id", data: { n: 10, k: "dedupe" } },
      { name: "t/sequential", id: "same-id", data: { n: 10, k: "dedupe" } },
    ]);
    expect(ids).toEqual(["same-id", "same-id"]);
    await eventually(async () => executions.get("seq:dedupe:b"));
    await new Promise((r) => setTimeout(r, 200));
    expect(executions.get("seq:dedupe:a")).toBe(1);
  });

  it("ignores an event id sent again within 24 hours through the event API, and accepts it after", async () => {
    const send = () => client.send({ name: "t/sequential", id: "day-id", data: { n: 1, k: "day" } });
    expect((await send()).ids).toEqual(["day-id"]);
    await eventually(async () => executions.get("seq:day:b"));
    expect((await send()).ids).toEqual(["day-id"]);
    await new Promise((r) => setTimeout(r, 300));
    expect(executions.get("seq:day:a")).toBe(1);

    const db = await getDb();
    await db.execute(
      sql`update engine_events set received_at = received_at - interval '25 hours' where id = 'day-id'`,
    );
    await send();
    const statuses = await eventually(async () => {
      const runs = await rows<{ status: string }>(
        db,
        sql`select status from engine_runs where event_id = 'day-id' and function_id = ${app.fnId("sequential")}`,
      );
      return runs.length === 2 && runs.every((r) => r.status === "completed") && runs.map((r) => r.status);
    });
    expect(statuses).toEqual(["completed", "completed"]);
    expect(executions.get("seq:day:a")).toBe(2);
  });

  it("replays a failed run from the start with the same event", async () => {
    await client.send({ name: "t/replayable", data: { n: 1 } });
    const [failed] = await finishedRuns(app.fnId("replayable"));
    expect(failed?.status).toBe("failed");
    replayShouldFail = false;
    const replayId = await engine.replayRun(failed?.id as string);
    const runs = await finishedRuns(app.fnId("replayable"), 2);
    const replay = runs.find((r) => r.id === replayId);
    expect(replay?.status).toBe("completed");
    expect(replay?.replay_of).toBe(failed?.id);
  });

  it("fails a wait whose `if` uses unsupported syntax, with the reason", async () => {
    await client.send({ name: "t/bad-wait", data: {} });
    const [run] = await finishedRuns(app.fnId("bad-wait"));
    expect(output<string>(run)).toMatch(/function and macro calls are not supported/);
  });
});

describe("signatures and registration", () => {
  it("serves only requests signed with the signing key", async () => {
    const body = {
      version: 2,
      event: { name: "t/sequential", data: { n: 1 } },
      events: [],
      steps: {},
      ctx: { run_id: "r" },
    };
    const url = `http://x/api/inngest?fnId=${app.fnId("sequential")}&stepId=step`;
    const unsigned = await handler(new Request(url, { method: "POST", body: JSON.stringify(body) }));
    expect(unsigned.status).toBe(401);
    const forged = await handler(
      new Request(url, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "x-inngest-signature": signatureHeader(`signkey-test-${"00".repeat(32)}`, body) },
      }),
    );
    expect(forged.status).toBe(401);
  });

  it("refuses to register unsupported expressions and options, loudly", async () => {
    const other = createTestApp();
    const badKey = other.client.createFunction(
      { id: "bad", concurrency: { limit: 1, key: "event.data.a + 1" }, triggers: [{ event: "t/x" }] },
      async () => null,
    );
    await expect(other.start([badKey])).rejects.toThrow(RegistrationError);
    await expect(other.start([badKey])).rejects.toThrow(/concurrency key.*position 13/);
    const throttled = other.client.createFunction(
      { id: "throttled", throttle: { limit: 1, period: "1s" }, triggers: [{ event: "t/x" }] },
      async () => null,
    );
    await expect(other.start([throttled])).rejects.toThrow(/uses `throttle`/);
  });
});

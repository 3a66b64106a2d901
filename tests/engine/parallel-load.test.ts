import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, getDb } from "@/db";
import type { LogFields } from "@/lib/engine/log";
import { createTestApp, finishedRuns, resetEngineTables } from "./support/harness";

/**
 * Parallel branches of one run finishing together, on two engines: every finished step body must
 * be stored exactly once and never run again. On Postgres this once deadlocked (a step's insert
 * against the upsert of the run's discovery job) and the rolled-back result made its body run
 * again; every body execution is counted here, by run and step.
 */

// PGlite runs SQL on this thread (≈5 ms a step): a lighter load there; the deadlock needed Postgres.
const RUNS = process.env.DATABASE_URL ? 10 : 4;
const BRANCHES = 4;
const STEPS = 6;

function scenario(name: string) {
  const app = createTestApp();
  const executions = new Map<string, number>();
  const count = (key: string) => executions.set(key, (executions.get(key) ?? 0) + 1);
  const fn = app.client.createFunction(
    { id: name, retries: 10, triggers: [{ event: `t/${name}` }] },
    async ({ step, runId }) => {
      const done = await Promise.all(
        Array.from({ length: BRANCHES }, async (_, b) => {
          for (let s = 0; s < STEPS; s++) {
            await step.run(`b${b}-s${s}`, () => {
              count(`${runId}:b${b}-s${s}`);
              return s;
            });
          }
          return b;
        }),
      );
      return done.length;
    },
  );
  const problems: LogFields[] = [];
  const retried: LogFields[] = [];
  const logger = (_level: string, fields: LogFields) => {
    if (fields.msg === "job.error" || fields.msg === "engine.loop_error") problems.push(fields);
    if (fields.msg === "tx.retry") retried.push(fields);
  };

  async function start(db?: Db) {
    const asyncCommit = Boolean(process.env.DATABASE_URL);
    await app.start([fn], { slots: 8, logger, asyncCommit, ...(db ? { db } : {}) });
    await app.start([fn], { slots: 8, logger, asyncCommit, ...(db ? { db } : {}) });
  }

  async function runAndCheck() {
    await app.client.send(Array.from({ length: RUNS }, (_, i) => ({ name: `t/${name}`, data: { i } })));
    const runs = await finishedRuns(app.fnId(name), RUNS, 110_000);
    const twice = [...executions].filter(([, n]) => n > 1);
    console.info(
      `[${name}] ${executions.size} step bodies, ${twice.length} ran more than once, ` +
        `${retried.length} transactions retried, ${problems.length} job errors`,
    );
    expect(runs.map((r) => r.status)).toEqual(Array(RUNS).fill("completed"));
    expect(twice).toEqual([]);
    expect(executions.size).toBe(RUNS * BRANCHES * STEPS);
    expect(problems).toEqual([]);
    return { retried };
  }

  return { app, start, runAndCheck };
}

describe("under load", () => {
  const s = scenario("branches");
  beforeAll(async () => {
    await resetEngineTables();
    await s.start();
  });
  afterAll(() => s.app.stop());

  it(`runs each of ${RUNS * BRANCHES * STEPS} parallel step bodies exactly once`, { timeout: 120_000 }, () =>
    s.runAndCheck(),
  );
});

/**
 * The database rolls back every third engine transaction after its work, as a deadlock would
 * (code 40P01): the engine retries the transaction with the result it holds, never the body. A
 * transaction (known by its statements) is rolled back once, so no retry budget runs out by chance.
 */
describe("when transactions deadlock", () => {
  const s = scenario("rolled-back");
  beforeAll(async () => {
    const db = await getDb();
    const dialect = new PgDialect();
    const rolledBack = new Set<string>();
    let n = 0;
    let failing = false;
    const deadlocking = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop !== "transaction") return Reflect.get(target, prop, receiver);
        return (fn: (tx: unknown) => Promise<unknown>) =>
          target.transaction(async (tx) => {
            const statements: string[] = [];
            const tracked = new Proxy(tx, {
              get(t, p, r) {
                if (p !== "execute") return Reflect.get(t, p, r);
                return (query: SQL) => {
                  const { sql: text, params } = dialect.sqlToQuery(query);
                  statements.push(`${text} ${JSON.stringify(params)}`);
                  return t.execute(query);
                };
              },
            });
            const result = await fn(tracked);
            const key = statements.join("\n");
            if (failing && ++n % 3 === 0 && !rolledBack.has(key)) {
              rolledBack.add(key);
              throw Object.assign(new Error("Failed query: (test)"), {
                cause: Object.assign(new Error("deadlock detected"), { code: "40P01" }),
              });
            }
            return result;
          });
      },
    });
    await s.start(deadlocking);
    failing = true;
  });
  afterAll(() => s.app.stop());

  it("retries the transaction without running a finished step body again", { timeout: 120_000 }, async () => {
    const { retried } = await s.runAndCheck();
    expect(retried.length).toBeGreaterThan(0);
    expect(retried[0]?.error).toMatchObject({ code: "40P01", message: "deadlock detected" });
  });
});

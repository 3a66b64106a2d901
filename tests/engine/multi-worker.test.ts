import { afterAll, beforeAll, expect, it } from "vitest";
import type { LogFields } from "@/lib/engine/log";
import { createTestApp, finishedRuns, resetEngineTables } from "./support/harness";

/**
 * Two engines on one database, as two app processes would be: claims use FOR UPDATE SKIP LOCKED,
 * so they share the work and no step body runs twice (on Postgres the two claim concurrently over
 * separate pooled connections).
 */

const app = createTestApp();
const executions = new Map<string, number>();
const count = (key: string) => executions.set(key, (executions.get(key) ?? 0) + 1);

const fanOut = app.client.createFunction(
  { id: "fan-out", triggers: [{ event: "t/fan-out" }] },
  async ({ step, runId }) => {
    await step.run("one", () => count(`${runId}:one`));
    await Promise.all([step.run("a", () => count(`${runId}:a`)), step.run("b", () => count(`${runId}:b`))]);
    await step.run("two", () => count(`${runId}:two`));
  },
);

const completedBy = [new Set<string>(), new Set<string>()];
const logTo = (i: number) => (_level: string, fields: LogFields) => {
  if (fields.msg === "run.completed" && fields.runId) completedBy[i]?.add(fields.runId);
};

beforeAll(async () => {
  await resetEngineTables();
  // Few slots each, so neither engine can take all the work in one claim.
  await app.start([fanOut], { slots: 3, logger: logTo(0) });
  await app.start([fanOut], { slots: 3, logger: logTo(1) });
});
afterAll(() => app.stop());

it("shares work between two engines without running any step twice", async () => {
  const RUNS = 30;
  await app.client.send(Array.from({ length: RUNS }, (_, i) => ({ name: "t/fan-out", data: { i } })));
  const runs = await finishedRuns(app.fnId("fan-out"), RUNS, 60_000);
  expect(runs.every((r) => r.status === "completed")).toBe(true);
  expect(executions.size).toBe(RUNS * 4);
  expect([...executions.values()].every((n) => n === 1)).toBe(true);
  expect(completedBy[0]?.size).toBeGreaterThan(0);
  expect(completedBy[1]?.size).toBeGreaterThan(0);
});

import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dbDriver, getDb, withTenant } from "@/db";
import { runEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { appendRunEvents, readRunEvents, subscribeRunEvents, subscriberCount } from "./event-log";
import type { RunEvent } from "./events";

async function setup() {
  const t = await createTeam();
  const project = await createProjectRow(t.org.id);
  const run = await createRunRow(t.org.id, project.id);
  return { t, scope: { orgId: t.org.id, runId: run.id } };
}

const delta = (text: string): RunEvent => ({
  type: "agent.delta",
  taskId: null,
  agentSlug: "system-architect",
  delta: text,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 2_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(5);
  }
}

describe("run event log", () => {
  it("appends with consecutive seq and reads after a position", async () => {
    const { scope } = await setup();
    const first = await withTenant(scope, (tx) =>
      appendRunEvents(tx, scope, [{ type: "run.status", status: "queued" }, delta("Hello")]),
    );
    expect(first.map((e) => e.seq)).toEqual([1, 2]);
    expect(first[0]).toMatchObject({ type: "run.status", status: "queued", seq: 1 });
    expect(typeof first[0]?.at).toBe("string");
    const second = await withTenant(scope, (tx) => appendRunEvents(tx, scope, [delta(" world")]));
    expect(second.map((e) => e.seq)).toEqual([3]);
    expect(await withTenant(scope, (tx) => appendRunEvents(tx, scope, []))).toEqual([]);

    const all = await withTenant(scope, (tx) => readRunEvents(tx, scope, 0));
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(all[1]).toMatchObject({ type: "agent.delta", delta: "Hello", agentSlug: "system-architect" });
    const after = await withTenant(scope, (tx) => readRunEvents(tx, scope, 2));
    expect(after.map((e) => e.seq)).toEqual([3]);
    expect((await withTenant(scope, (tx) => readRunEvents(tx, scope, 0, 2))).map((e) => e.seq)).toEqual([
      1, 2,
    ]);
  });

  it("refuses a run of another organization, and never reads one", async () => {
    const { t, scope } = await setup();
    const foreign = { orgId: t.otherOrg.id, runId: scope.runId };
    await withTenant(scope, (tx) => appendRunEvents(tx, scope, [delta("mine")]));
    const error = await withTenant(foreign, (tx) => appendRunEvents(tx, foreign, [delta("theirs")])).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("not_found");
    expect(await withTenant(foreign, (tx) => readRunEvents(tx, foreign, 0))).toEqual([]);
    const db = await getDb();
    const rows = await db.select().from(runEvents).where(eq(runEvents.runId, scope.runId));
    expect(rows).toHaveLength(1);
  });

  it("allocates gap-free seq under concurrent appends", async () => {
    const { scope } = await setup();
    // On Postgres these run on separate connections and contend for the run's row lock; PGlite
    // serializes them, which the test still checks for order and uniqueness.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withTenant(scope, async (tx) => {
          await appendRunEvents(tx, scope, [delta(`a${i}`), delta(`b${i}`)]);
        }),
      ),
    );
    const all = await withTenant(scope, (tx) => readRunEvents(tx, scope, 0));
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Each append's two events are adjacent: one writer at a time per run.
    for (let i = 0; i < 40; i += 2) {
      const a = all[i] as { delta: string };
      const b = all[i + 1] as { delta: string };
      expect(b.delta).toBe(`b${a.delta.slice(1)}`);
    }
  });

  it("wakes subscribers after commit, not on rollback, and stops after unsubscribe", async () => {
    const { scope } = await setup();
    const other = await setup();
    const wakes: (number | undefined)[] = [];
    const otherWakes: number[] = [];
    const unsubscribe = await subscribeRunEvents(scope.runId, (seq) => wakes.push(seq));
    const unsubscribeOther = await subscribeRunEvents(other.scope.runId, () => otherWakes.push(1));
    expect(subscriberCount(scope.runId)).toBe(1);

    // Inside the transaction nobody is woken yet; the wake comes with the commit.
    let wakesBeforeCommit = -1;
    await withTenant(scope, async (tx) => {
      await appendRunEvents(tx, scope, [delta("one")]);
      if ((await dbDriver()) === "postgres") await sleep(50);
      wakesBeforeCommit = wakes.length;
    });
    expect(wakesBeforeCommit).toBe(0);
    await until(() => wakes.length === 1);
    expect(wakes[0]).toBe(1);

    // A rolled-back append wakes nobody and leaves no rows.
    await withTenant(scope, async (tx) => {
      await appendRunEvents(tx, scope, [delta("lost")]);
      throw new Error("rollback");
    }).catch(() => {});
    await sleep(100);
    expect(wakes).toHaveLength(1);
    expect((await withTenant(scope, (tx) => readRunEvents(tx, scope, 0))).map((e) => e.seq)).toEqual([1]);

    // The seq freed by the rollback is reused: no gaps.
    await withTenant(scope, (tx) => appendRunEvents(tx, scope, [delta("two"), delta("three")]));
    await until(() => wakes.length === 2);
    expect(wakes[1]).toBe(3);
    expect(otherWakes).toHaveLength(0);

    unsubscribe();
    expect(subscriberCount(scope.runId)).toBe(0);
    await withTenant(scope, (tx) => appendRunEvents(tx, scope, [delta("four")]));
    await withTenant(other.scope, (tx) => appendRunEvents(tx, other.scope, [delta("x")]));
    await until(() => otherWakes.length === 1);
    expect(wakes).toHaveLength(2);
    unsubscribeOther();
  });

  it("fans one wake-up out to many subscribers of a run", async () => {
    const { scope } = await setup();
    const counts = new Array(50).fill(0);
    const unsubs = await Promise.all(
      counts.map((_, i) => subscribeRunEvents(scope.runId, () => counts[i]++)),
    );
    await withTenant(scope, (tx) => appendRunEvents(tx, scope, [delta("hi")]));
    await until(() => counts.every((c) => c === 1));
    for (const u of unsubs) u();
    expect(subscriberCount(scope.runId)).toBe(0);
    const db = await getDb();
    const rows = await db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.orgId, scope.orgId), eq(runEvents.runId, scope.runId)));
    expect(rows).toHaveLength(1);
  });
});

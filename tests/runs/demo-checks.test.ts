import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvals, checks } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { createTestApp, resetEngineTables } from "@/tests/engine/support/harness";
import { createRun, demo, driveToEnd, type Scope, tasksOf } from "./support/run-support";

/**
 * The demo model, honestly: on Feature build and Full delivery its agents write a small real
 * program whose tests run in the sandbox. One scripted attempt has a real bug its test catches;
 * the gate sends it back with the failing output, the rework fixes it, and the branch ends green.
 */

const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: demo(),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  approvalPolls: 30,
  modelCallTimeoutMs: 30_000,
});

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(() => app.stop());

async function approve(scope: Scope, approvalId: string) {
  const db = await getDb();
  await db
    .update(approvals)
    .set({ status: "approved", decidedAt: new Date() })
    .where(eq(approvals.id, approvalId));
  await app.client.send(
    approvalDecided.create({ ...scope, approvalId, decision: "approved", comment: null }),
  );
}

describe.each(["feature-build", "full-delivery"])("the demo model's %s", (template) => {
  it("fails one attempt on a real test, fixes it, and ends with a green branch", async () => {
    const { scope } = await createRun({ template });
    await app.client.send(runRequested.create(scope));
    const db = await getDb();
    const run = await driveToEnd(scope, approve, 150_000);
    const rows = await db
      .select()
      .from(checks)
      .where(eq(checks.runId, scope.runId))
      .orderBy(checks.createdAt);
    const tasks = await tasksOf(scope.runId);
    const gate = rows.filter((r) => r.scope === "task");
    const red = gate.filter((r) => r.status === "failed");
    // Exactly one red gate check: a real failing test, with its counts and output.
    expect(red).toHaveLength(1);
    expect(red[0]?.counts?.failed).toBeGreaterThan(0);
    expect(red[0]?.log).toMatch(/not ok/);
    const reworked = tasks.find((t) => t.id === red[0]?.taskId);
    expect(reworked?.status).toBe("done");
    expect(gate.some((r) => r.taskId === reworked?.id && r.attempt === 2 && r.status === "passed")).toBe(
      true,
    );
    const branch = rows.filter((r) => r.scope === "branch");
    expect(branch.length).toBeGreaterThan(0);
    expect(branch.every((r) => r.status === "passed")).toBe(true);
    expect(run.status).toBe("completed");
    expect(run.statusReason).toContain("The run branch is green");
  }, 300_000);
});

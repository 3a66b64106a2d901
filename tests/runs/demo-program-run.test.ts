import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvals } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { detectCommands } from "@/lib/repos/detect-commands";
import { git } from "@/lib/repos/git";
import { originPath } from "@/lib/repos/paths";
import type { ModelResolver } from "@/lib/runs/execute/types";
import { createTestApp, resetEngineTables } from "@/tests/engine/support/harness";
import { runIn, tapCounts } from "@/tests/support/demo-exec";
import { createRun, demo, driveToEnd, type Scope, tasksOf } from "./support/run-support";

let resolver: ModelResolver = demo();
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: (...args) => resolver(...args),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  approvalPolls: 30,
  modelCallTimeoutMs: 8_000,
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

/**
 * A Feature build on the demo model through the real run function, in a new project's
 * repository (its README only): the run branch ends with the demo program, whose tests the
 * project's detected test command really runs and passes.
 */
describe("a Feature build on the demo model", () => {
  it("ends with a branch holding a real program whose tests pass", async () => {
    resolver = demo();
    const created = await createRun({ template: "feature-build" });
    await app.client.send(runRequested.create(created.scope));
    const run = await driveToEnd(created.scope, approve, 240_000);
    expect(run.status).toBe("completed");
    expect((await tasksOf(created.scope.runId)).every((t) => t.status === "done")).toBe(true);
    const origin = originPath(created.team.org.id, run.projectId);
    const dir = await mkdtemp(path.join(tmpdir(), "dm-demo-run-"));
    try {
      await git(["clone", "-q", "--branch", String(run.branch), origin, dir], { cwd: tmpdir() });
      const { stdout } = await git(["ls-files", "package.json", "src", "test"], { cwd: dir });
      expect(stdout.split("\n").filter(Boolean)).toEqual([
        "package.json",
        "src/customer-feedback-portal.js",
        "test/customer-feedback-portal.more.test.js",
        "test/customer-feedback-portal.test.js",
      ]);
      expect((await detectCommands(dir)).test).toBe("npm test");
      const result = await runIn(dir, "npm test");
      expect(result.code, result.output).toBe(0);
      expect(tapCounts(result.output)).toEqual({ passed: 12, failed: 0, total: 12 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

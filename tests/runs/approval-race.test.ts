import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvalOutbox, approvals } from "@/db/schema";
import { runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import {
  announceApprovalDecision,
  queueApprovalDecision,
  sweepApprovalOutbox,
} from "@/lib/runs/approval-outbox";
import type { RunDeps } from "@/lib/runs/execute/types";
import { createTestApp, eventually, resetEngineTables } from "@/tests/engine/support/harness";
import { createRun, demo, eventsOf, must, runRow, type Scope } from "./support/run-support";

/**
 * A decision made at any moment around the run's wait resumes the run at once: the poll is set to
 * hours here, so a run that completes did so through the decision's event or the re-check.
 */

let runStep: Required<RunDeps>["runStep"] = (_id, body) => body();
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: demo(),
  runStep: (id, body) => runStep(id, body),
  slotPollInterval: "1s",
  approvalPollInterval: "5h",
});

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(() => app.stop());

/** What decideApproval does: the decision and its outbox row in one transaction, then (maybe) the event. */
async function decide(scope: Scope, approvalId: string, send: boolean) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .update(approvals)
      .set({ status: "approved", decidedAt: new Date() })
      .where(eq(approvals.id, approvalId));
    await queueApprovalDecision(tx, scope, approvalId);
  });
  if (send) await announceApprovalDecision(app.client, scope, approvalId);
}

const approvalOf = (stepId: string) => /^approval-([0-9a-f-]{36})-check-0$/.exec(stepId)?.[1];

async function runWith(
  hook: (scope: Scope, approvalId: string, body: () => Promise<unknown>) => Promise<unknown>,
  whileWaiting?: () => Promise<unknown>,
) {
  const { scope } = await createRun();
  runStep = (id, body) => {
    const approvalId = approvalOf(id);
    return approvalId ? hook(scope, approvalId, body) : body();
  };
  await app.client.send(runRequested.create(scope));
  const run = await eventually(async () => {
    const row = await runRow(scope.runId);
    if (["completed", "failed", "cancelled"].includes(row.status)) return row;
    await whileWaiting?.();
    return undefined;
  }, 90_000);
  runStep = (_id, body) => body();
  expect(run.status).toBe("completed");
  const events = await eventsOf(scope.runId);
  expect(events.filter((e) => e.type === "approval.resolved")).toHaveLength(1);
  return scope;
}

describe("approval decisions around the wait", () => {
  it("resumes when the decision lands before the run's check", async () => {
    await runWith(async (scope, approvalId, body) => {
      await decide(scope, approvalId, true);
      return body();
    });
  }, 120_000);

  it("resumes when the decision lands between the check and the wait", async () => {
    await runWith(async (scope, approvalId, body) => {
      const state = await body();
      await decide(scope, approvalId, true);
      return state;
    });
  }, 120_000);

  it("resumes when the decision lands after the wait began", async () => {
    let approvalId: string | undefined;
    let scopeOf: Scope | undefined;
    await runWith(
      async (scope, id, body) => {
        approvalId = id;
        scopeOf = scope;
        return body();
      },
      async () => {
        if (!approvalId || !scopeOf) return;
        const [row] = await (await getDb()).select().from(approvals).where(eq(approvals.id, approvalId));
        if (row?.status === "pending") {
          await new Promise((r) => setTimeout(r, 300));
          await decide(scopeOf, approvalId, true);
        }
      },
    );
  }, 120_000);

  it("resumes through the outbox when the process died after the commit, before the send", async () => {
    let decidedAt = 0;
    const scope = await runWith(
      async (scope, approvalId, body) => {
        const state = await body();
        await decide(scope, approvalId, false);
        decidedAt = Date.now();
        return state;
      },
      async () => {
        if (decidedAt && Date.now() - decidedAt > 500) await sweepApprovalOutbox(app.client, 0);
      },
    );
    const db = await getDb();
    const rows = await db.select().from(approvalOutbox).where(eq(approvalOutbox.runId, scope.runId));
    expect(rows).toHaveLength(1);
    expect(must(rows[0]).sentAt).not.toBeNull();
  }, 120_000);
});

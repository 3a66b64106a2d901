import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { approvals, webhookDeliveries } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { createDeliverWebhookFunction } from "@/inngest/functions/deliver-webhook";
import { resolveOrgContext } from "@/lib/orgs/context";
import type { RunDeps } from "@/lib/runs/execute/types";
import { startWebhookAnnouncer } from "@/lib/webhooks/announce";
import { createWebhookEndpoint } from "@/lib/webhooks/create-endpoint";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import { createTestApp, eventually, resetEngineTables } from "@/tests/engine/support/harness";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { createRun, demo, driveToEnd, type Scope, tasksOf } from "./support/run-support";

/**
 * A whole demo-model run with an endpoint subscribed to every event: the run's state changes
 * arrive at a receiver on loopback as signed messages, each exactly once in the delivery log,
 * although every step body runs twice.
 */

let runStep: Required<RunDeps>["runStep"] = (_id, body) => body();
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: demo(),
  runStep: (id, body) => runStep(id, body),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  approvalPolls: 30,
  modelCallTimeoutMs: 8_000,
});
const deliver = createDeliverWebhookFunction(app.client, { retryDelays: [50, 50] });
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  await getDb();
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  await resetEngineTables();
  await app.start([agentRun, deliver]);
  await startWebhookAnnouncer();
});
afterAll(async () => {
  await app.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
});

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

describe("a run's webhooks", () => {
  it("delivers run.started, task.completed, approval.requested/decided and run.completed, once each", async () => {
    const team = await createTeam();
    const ctx = await resolveOrgContext(team.admin, team.org.slug, "integrations.manage", {
      ip: "198.51.100.1",
      userAgent: "vitest",
    });
    const { secret, endpoint } = await createWebhookEndpoint(ctx, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`,
      description: "",
      events: [...WEBHOOK_EVENTS],
    });
    runStep = async (_id, body) => {
      await body();
      return body();
    };
    const { scope } = await createRun({ team });
    await app.client.send(runRequested.create(scope));
    const run = await driveToEnd(scope, approve);
    runStep = (_id, body) => body();
    expect(run.status).toBe("completed");
    const tasks = await tasksOf(scope.runId);
    const gates = tasks.filter((t) => t.needsApproval).length;

    const db = await getDb();
    const expected = 2 + tasks.length + 2 * gates;
    const deliveries = await eventually(async () => {
      const rows = await db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpoint.id));
      return rows.length >= expected && rows.every((r) => r.status === "succeeded") ? rows : undefined;
    }, 60_000);
    const count = (type: string) => deliveries.filter((d) => d.eventType === type).length;
    expect(count("run.started")).toBe(1);
    expect(count("run.completed")).toBe(1);
    expect(count("task.completed")).toBe(tasks.length);
    expect(count("approval.requested")).toBe(gates);
    expect(count("approval.decided")).toBe(gates);
    expect(count("run.failed") + count("task.failed")).toBe(0);
    expect(deliveries).toHaveLength(expected);

    // Each message arrived signed, once per delivery, with its own id.
    await eventually(async () => received.length >= expected);
    const ids = received.map((r) => String(r.headers["webhook-id"]));
    expect(new Set(ids).size).toBe(expected);
    const wh = new Webhook(secret);
    const types = received.map(
      (r) => (wh.verify(r.body, r.headers as Record<string, string>) as { type: string }).type,
    );
    expect(types.filter((t) => t === "run.completed")).toHaveLength(1);
    const completed = JSON.parse(received[types.indexOf("run.completed")]?.body ?? "{}");
    expect(completed.data.run).toMatchObject({ id: scope.runId, status: "completed" });
  }, 180_000);
});

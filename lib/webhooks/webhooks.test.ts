import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createWebhookEndpointAction,
  deleteWebhookEndpointAction,
  resendWebhookDeliveryAction,
  updateWebhookEndpointAction,
} from "@/app/(app)/[org]/settings/webhooks/actions";
import { getDb, withTenant } from "@/db";
import { runTasks, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { createDeliverWebhookFunction } from "@/inngest/functions/deliver-webhook";
import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { apiKeyContext } from "@/lib/api-keys/key-context";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";
import { resolveOrgContext } from "@/lib/orgs/context";
import { cancelRun } from "@/lib/runs/cancel-run";
import { finishRun } from "@/lib/runs/execute/lifecycle";
import { setTaskStatus } from "@/lib/runs/execute/task-run";
import { createTestApp, eventually, resetEngineTables } from "@/tests/engine/support/harness";
import { createRun } from "@/tests/runs/support/run-support";
import { mintApiKey } from "@/tests/support/api-keys";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { auditCount } from "@/tests/support/org-helpers";
import { METADATA_URL, startRedirectServer } from "@/tests/support/redirect-server";
import { actAs } from "@/tests/support/session";
import { startWebhookAnnouncer, sweepWebhookDeliveries } from "./announce";
import { createWebhookEndpoint, MAX_WEBHOOK_ENDPOINTS } from "./create-endpoint";
import { deleteWebhookEndpoint } from "./delete-endpoint";
import { attemptDelivery } from "./deliver";
import { emitWebhookEvent } from "./emit";
import { getWebhookDelivery, listWebhookDeliveries } from "./list-deliveries";
import { listWebhookEndpoints } from "./list-endpoints";
import { rollWebhookSecret } from "./update-endpoint";

/**
 * Webhooks end to end: endpoints saved through the URL guard, events recorded in the state
 * change's transaction, announced after commit, and delivered by the real function on the embedded
 * engine to a receiver on loopback, signed with Standard Webhooks and retried with (short) backoff.
 */

type Received = { headers: IncomingHttpHeaders; body: string; at: number };

/** A receiver whose answers are scripted: `answers[n]` for the n-th request, the last one after. */
async function startReceiver(answers: number[] = [200]) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() });
      const status = answers[Math.min(received.length - 1, answers.length - 1)] ?? 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(`answer ${received.length}: ${status}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const RETRIES = [40, 40, 40, 40, 40];
const app = createTestApp();
const deliverFn = createDeliverWebhookFunction(app.client, { retryDelays: RETRIES, timeoutMs: 3_000 });
const receivers: { stop: () => Promise<void> }[] = [];
const meta = { ip: "198.51.100.9", userAgent: "vitest" };

beforeAll(async () => {
  await getDb();
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
  await resetEngineTables();
  await app.start([deliverFn]);
  await startWebhookAnnouncer();
});
afterAll(async () => {
  await app.stop();
  await Promise.all(receivers.map((r) => r.stop()));
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
});
afterEach(() => {
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
  actAs(null);
});

async function setup(answers?: number[], events = ["run.completed", "run.cancelled"]) {
  const team = await createTeam();
  const receiver = await startReceiver(answers);
  receivers.push(receiver);
  const ctx = await resolveOrgContext(team.admin, team.org.slug, "integrations.manage", meta);
  const { endpoint, secret } = await createWebhookEndpoint(ctx, {
    url: receiver.url,
    description: "CI",
    events: events as never,
  });
  return { team, receiver, ctx, endpoint, secret };
}

let keySeq = 0;
const emit = (orgId: string, key = `test:${++keySeq}`, type = "run.completed" as const) =>
  withTenant({ orgId }, (tx) => emitWebhookEvent(tx, orgId, type, { run: { id: key } }, key));

async function deliveryRows(endpointId: string) {
  const db = await getDb();
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(asc(webhookDeliveries.createdAt));
}

async function attemptsOf(deliveryId: string) {
  const db = await getDb();
  return db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.attempt));
}

const finalDelivery = (id: string) =>
  eventually(async () => {
    const db = await getDb();
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
    return row && (row.status === "succeeded" || row.status === "failed") ? row : undefined;
  }, 40_000);

describe("webhook endpoints", () => {
  it("generates a Standard Webhooks secret shown once, stored encrypted, audited", async () => {
    const { team, endpoint, secret, ctx } = await setup();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    const db = await getDb();
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row?.secretEncrypted).toBeTruthy();
    expect(row?.secretEncrypted).not.toContain(secret.slice(6, 20));
    expect(JSON.stringify(await listWebhookEndpoints(ctx))).not.toContain(secret.slice(6, 20));
    expect(await auditCount(team.org.id, "webhook.create")).toBe(1);
    const rolled = await rollWebhookSecret(ctx, endpoint.id);
    expect(rolled.secret).not.toBe(secret);
    expect(await auditCount(team.org.id, "webhook.update")).toBe(1);
  });

  it("refuses internal addresses and plain http without ALLOW_PRIVATE_NETWORK_URLS", async () => {
    const team = await createTeam();
    actAs(team.admin);
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
    for (const url of [
      "http://127.0.0.1:8080/hooks",
      "https://127.0.0.1/hooks",
      "https://10.0.0.8/x",
      "https://[::1]/",
    ]) {
      const result = await createWebhookEndpointAction(team.org.slug, { url, events: ["run.completed"] });
      expect(result).toMatchObject({ ok: false, error: { code: "validation" } });
      expect(JSON.stringify(result)).toMatch(/url/);
    }
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    // Cloud metadata stays refused even when the private network is allowed.
    const metadata = await createWebhookEndpointAction(team.org.slug, {
      url: METADATA_URL,
      events: ["run.completed"],
    });
    expect(metadata).toMatchObject({
      ok: false,
      error: { code: "validation", fieldErrors: { url: [UNREACHABLE_MESSAGE] } },
    });
    const bad = await createWebhookEndpointAction(team.org.slug, {
      url: "https://example.com",
      events: ["run.flew"],
    });
    expect(bad).toMatchObject({ ok: false, error: { code: "validation" } });
    const db = await getDb();
    expect(
      await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, team.org.id)),
    ).toHaveLength(0);
  });

  it("is for admins: a member gets 403, another organization 404", async () => {
    const { team, endpoint } = await setup();
    actAs(team.member);
    const input = { url: "https://example.com/hooks", events: ["run.completed"] };
    expect(await createWebhookEndpointAction(team.org.slug, input)).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await deleteWebhookEndpointAction(team.org.slug, { id: endpoint.id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    actAs(team.outsider);
    expect(await createWebhookEndpointAction(team.org.slug, input)).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    // An admin of another organization cannot reach this one's endpoint by id.
    actAs(team.outsider);
    expect(
      await updateWebhookEndpointAction(team.otherOrg.slug, { id: endpoint.id, enabled: false }),
    ).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await deleteWebhookEndpointAction(team.otherOrg.slug, { id: endpoint.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    const db = await getDb();
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row?.enabled).toBe(true);
  });

  it("answers 403 to an API key without the integrations.manage scope", async () => {
    const { team, endpoint } = await setup();
    const narrow = await mintApiKey(team.admin, team.org.slug, ["runs.read"]);
    const narrowCtx = apiKeyContext(await authenticateApiKey(narrow.secret, meta), meta);
    await expect(listWebhookEndpoints(narrowCtx)).rejects.toMatchObject({ code: "forbidden" });
    await expect(deleteWebhookEndpoint(narrowCtx, endpoint.id)).rejects.toMatchObject({ code: "forbidden" });
    const wide = await mintApiKey(team.admin, team.org.slug, ["integrations.manage"]);
    const wideCtx = apiKeyContext(await authenticateApiKey(wide.secret, meta), meta);
    expect((await listWebhookEndpoints(wideCtx)).map((e) => e.id)).toEqual([endpoint.id]);
  });

  it("caps endpoints per organization", async () => {
    const { ctx, receiver } = await setup();
    const create = () =>
      createWebhookEndpoint(ctx, { url: receiver.url, description: "", events: ["run.failed"] });
    for (let i = 1; i < MAX_WEBHOOK_ENDPOINTS - 1; i++) await create();
    const raced = await Promise.allSettled([create(), create(), create()]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of raced.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    }
    expect(await listWebhookEndpoints(ctx)).toHaveLength(MAX_WEBHOOK_ENDPOINTS);
    // Another organization is not affected.
    const other = await setup();
    expect(await listWebhookEndpoints(other.ctx)).toHaveLength(1);
  });
});

describe("webhook delivery", () => {
  it("signs each delivery so Webhook.verify accepts it with the endpoint's secret", async () => {
    const { team, receiver, endpoint, secret, ctx } = await setup();
    const [id] = await emit(team.org.id);
    const delivery = await finalDelivery(id as string);
    expect(delivery.status).toBe("succeeded");
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0] as Received;
    const headers = {
      "webhook-id": String(got.headers["webhook-id"]),
      "webhook-timestamp": String(got.headers["webhook-timestamp"]),
      "webhook-signature": String(got.headers["webhook-signature"]),
    };
    expect(headers["webhook-id"]).toBe(delivery.messageId);
    expect(got.headers["content-type"]).toBe("application/json");
    const verified = new Webhook(secret).verify(got.body, headers) as { type: string; data: unknown };
    expect(verified.type).toBe("run.completed");
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(got.body, headers),
    ).toThrow();
    expect(() => new Webhook(secret).verify(`${got.body} `, headers)).toThrow();

    const detail = await getWebhookDelivery(ctx, delivery.id);
    expect(detail.attemptLog).toHaveLength(1);
    expect(detail.attemptLog[0]).toMatchObject({
      attempt: 1,
      statusCode: 200,
      error: null,
      responseSnippet: "answer 1: 200",
    });
    await expect(getWebhookDelivery(ctx, "not-an-id")).rejects.toMatchObject({ code: "not_found" });
    await expect(listWebhookDeliveries(ctx, { endpointId: "x" })).rejects.toMatchObject({
      code: "validation",
    });
    await expect(listWebhookDeliveries(ctx, { cursor: "garbage" })).rejects.toMatchObject({
      code: "validation",
    });
    const outsider = await resolveOrgContext(team.outsider, team.otherOrg.slug, "integrations.manage", meta);
    await expect(getWebhookDelivery(outsider, delivery.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await listWebhookDeliveries(outsider)).deliveries).toEqual([]);
    const list = await listWebhookDeliveries(ctx, { endpointId: endpoint.id });
    expect(list.deliveries.map((d) => [d.id, d.status, d.attempts, d.lastStatusCode])).toEqual([
      [delivery.id, "succeeded", 1, 200],
    ]);
  });

  it("retries a failing receiver with backoff and logs each attempt", { timeout: 90_000 }, async () => {
    const { team, receiver, secret, ctx } = await setup([500, 500, 200]);
    const [id] = await emit(team.org.id);
    const delivery = await finalDelivery(id as string);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200 });
    const log = (await getWebhookDelivery(ctx, delivery.id)).attemptLog;
    expect(log.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(log[0]?.error).toBe("The endpoint answered 500.");
    for (const a of log) expect(a.durationMs).toBeGreaterThanOrEqual(0);
    // One message: the same id every time, each attempt signed afresh and verifiable.
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const r of receiver.received) {
      new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
    }
    const gaps = receiver.received.slice(1).map((r, i) => r.at - (receiver.received[i] as Received).at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(RETRIES[0] as number);
  });

  it("fails a delivery after the last attempt when the receiver always fails", {
    timeout: 90_000,
  }, async () => {
    const { team, receiver } = await setup([503]);
    const [id] = await emit(team.org.id);
    const delivery = await finalDelivery(id as string);
    expect(delivery).toMatchObject({ status: "failed", attempts: RETRIES.length + 1, lastStatusCode: 503 });
    expect(receiver.received).toHaveLength(RETRIES.length + 1);
    expect((await attemptsOf(delivery.id)).map((a) => a.statusCode)).toEqual(
      Array(RETRIES.length + 1).fill(503),
    );
  });

  it("checks the address again at send time and follows no redirects", { timeout: 90_000 }, async () => {
    const { team, receiver, endpoint } = await setup();
    // The private network is no longer allowed: the saved loopback URL is refused when sending.
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
    const [id] = await emit(team.org.id);
    const refused = await finalDelivery(id as string);
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    expect(refused.status).toBe("failed");
    expect(receiver.received).toHaveLength(0);
    const attempts = await attemptsOf(refused.id);
    expect(attempts).toHaveLength(RETRIES.length + 1);
    expect(attempts.every((a) => a.statusCode === null && a.error === UNREACHABLE_MESSAGE)).toBe(true);

    // The saved host now resolves somewhere refused even with the private network allowed.
    const db0 = await getDb();
    await db0.update(webhookEndpoints).set({ url: METADATA_URL }).where(eq(webhookEndpoints.id, endpoint.id));
    const [blockedId] = await emit(team.org.id);
    const blocked = await finalDelivery(blockedId as string);
    expect(blocked).toMatchObject({ status: "failed", lastStatusCode: null, lastError: UNREACHABLE_MESSAGE });

    // A receiver that redirects (to the metadata address) is a failed attempt, not followed.
    const redirect = await startRedirectServer(METADATA_URL);
    receivers.push(redirect);
    const db = await getDb();
    await db
      .update(webhookEndpoints)
      .set({ url: `${redirect.url}/hooks` })
      .where(eq(webhookEndpoints.id, endpoint.id));
    const [second] = await emit(team.org.id);
    const redirected = await finalDelivery(second as string);
    expect(redirected).toMatchObject({ status: "failed", lastStatusCode: 302 });
    expect(redirected.lastError).toMatch(/not followed/);
  });

  it("stops retrying once the endpoint is disabled, and refuses to resend to it", async () => {
    const { team, receiver, endpoint } = await setup([500]);
    const [id] = await emit(team.org.id);
    await eventually(async () => (await attemptsOf(id as string)).length >= 1);
    actAs(team.admin);
    await updateWebhookEndpointActionAs(team, endpoint.id, false);
    const stopped = await finalDelivery(id as string);
    expect(stopped).toMatchObject({ status: "failed", lastError: "The endpoint is disabled." });
    expect(receiver.received.length).toBeLessThan(RETRIES.length + 1);
    expect(await resendWebhookDeliveryAction(team.org.slug, { id: stopped.id })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
  });

  it("resends a delivery as a new delivery of the same message", async () => {
    const { team, receiver, secret, ctx } = await setup();
    const [id] = await emit(team.org.id);
    const first = await finalDelivery(id as string);
    actAs(team.admin);
    const resent = await resendWebhookDeliveryAction(team.org.slug, { id: first.id });
    expect(resent.ok).toBe(true);
    const copy = resent.ok ? resent.data : null;
    expect(copy?.id).not.toBe(first.id);
    expect(copy?.resentFromId).toBe(first.id);
    const second = await finalDelivery(copy?.id as string);
    expect(second.status).toBe("succeeded");
    expect(await attemptsOf(second.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.headers["webhook-id"]).toBe(receiver.received[0]?.headers["webhook-id"]);
    expect(receiver.received[1]?.body).toBe(receiver.received[0]?.body);
    new Webhook(secret).verify(
      receiver.received[1]?.body as string,
      receiver.received[1]?.headers as Record<string, string>,
    );
    expect(await auditCount(team.org.id, "webhook.resend")).toBe(1);
    // Newest first, a page at a time.
    const page1 = await listWebhookDeliveries(ctx, { limit: 1 });
    expect(page1.deliveries.map((d) => d.id)).toEqual([second.id]);
    const page2 = await listWebhookDeliveries(ctx, { limit: 1, cursor: page1.nextCursor ?? undefined });
    expect(page2.deliveries.map((d) => d.id)).toEqual([first.id]);
    expect(page2.nextCursor).toBeNull();
    actAs(team.member);
    expect(await resendWebhookDeliveryAction(team.org.slug, { id: first.id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    actAs(team.outsider);
    expect(await resendWebhookDeliveryAction(team.otherOrg.slug, { id: first.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });
});

describe("emitting", () => {
  it("is idempotent per state change and only reaches enabled, subscribed endpoints", async () => {
    const { team, endpoint, ctx } = await setup([200], ["run.completed"]);
    const key = `once:${crypto.randomUUID()}`;
    const first = await emit(team.org.id, key);
    const again = await emit(team.org.id, key);
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
    expect(
      await withTenant({ orgId: team.org.id }, (tx) =>
        emitWebhookEvent(tx, team.org.id, "run.failed", {}, key),
      ),
    ).toEqual([]);
    await updateWebhookEndpointActionAs(team, endpoint.id, false);
    expect(await emit(team.org.id)).toEqual([]);
    expect(await deliveryRows(endpoint.id)).toHaveLength(1);
    // Rolled back with the state change: no delivery.
    await withTenant({ orgId: team.org.id }, async (tx) => {
      await emitWebhookEvent(tx, team.org.id, "run.completed", {}, "rolled-back");
      throw new Error("rollback");
    }).catch(() => {});
    expect(await deliveryRows(endpoint.id)).toHaveLength(1);
    expect((await listWebhookDeliveries(ctx)).deliveries).toHaveLength(1);
  });

  it("a run's state change produces its delivery (cancelling a run → run.cancelled)", async () => {
    const { team, receiver, endpoint, secret } = await setup();
    const { run } = await createRun({ team });
    const ctx = await resolveOrgContext(team.owner, team.org.slug, "runs.start", meta);
    await cancelRun(ctx, run.id);
    const delivery = await eventually(async () => (await deliveryRows(endpoint.id))[0]);
    expect(delivery.eventType).toBe("run.cancelled");
    const done = await finalDelivery(delivery.id);
    expect(done.status).toBe("succeeded");
    const body = new Webhook(secret).verify(
      receiver.received[0]?.body as string,
      receiver.received[0]?.headers as Record<string, string>,
    ) as {
      type: string;
      data: { run: { id: string; status: string } };
    };
    expect(body).toMatchObject({ type: "run.cancelled", data: { run: { id: run.id, status: "cancelled" } } });
  });

  it("the run engine's verbs emit: a task done → task.completed, finishing the run → run.completed once", async () => {
    const { team, endpoint } = await setup([200], ["task.completed", "run.completed", "run.started"]);
    const { run, scope } = await createRun({ team });
    const db = await getDb();
    const [task] = await db
      .insert(runTasks)
      .values({
        orgId: team.org.id,
        runId: run.id,
        key: "api",
        phaseKey: "build",
        title: "Build the API",
        agentSlug: "coder",
        status: "review",
      })
      .returning();
    await setTaskStatus(scope, task?.id as string, "done", {}, "fn-run:task-done");
    await setTaskStatus(scope, task?.id as string, "done", {}, "fn-run:task-done");
    // The step runs twice (at-least-once): one state change, one message.
    await finishRun(scope, "completed", undefined, "fn-run:finish");
    await finishRun(scope, "completed", undefined, "fn-run:finish");
    const rows = await eventually(async () => {
      const all = await deliveryRows(endpoint.id);
      return all.length >= 2 ? all : undefined;
    });
    expect(rows.map((r) => r.eventType).sort()).toEqual(["run.completed", "task.completed"]);
    const completed = rows.find((r) => r.eventType === "run.completed");
    expect(completed?.payload).toMatchObject({
      type: "run.completed",
      data: { run: { id: run.id, status: "completed" } },
    });
    expect(rows.find((r) => r.eventType === "task.completed")?.payload).toMatchObject({
      data: {
        task: { id: task?.id, key: "api", title: "Build the API", status: "done" },
        run: { id: run.id },
      },
    });
    for (const r of rows) expect((await finalDelivery(r.id)).status).toBe("succeeded");
  });

  it("one deadline covers the answer's body: a receiver trickling bytes does not hold the attempt", async () => {
    const team = await createTeam();
    const ctx = await resolveOrgContext(team.admin, team.org.slug, "integrations.manage", meta);
    const trickle = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("o");
      const timer = setInterval(() => res.write("k"), 200);
      res.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((r) => trickle.listen(0, "127.0.0.1", r));
    receivers.push({ stop: () => new Promise<void>((r) => trickle.close(() => r())) });
    const url = `http://127.0.0.1:${(trickle.address() as AddressInfo).port}/hooks`;
    const { endpoint } = await createWebhookEndpoint(ctx, {
      url,
      description: "",
      events: ["run.completed"] as never,
    });
    const db = await getDb();
    // Recorded directly, not announced: only this attempt sends it.
    const [row] = await db
      .insert(webhookDeliveries)
      .values({
        orgId: team.org.id,
        endpointId: endpoint.id,
        eventType: "run.completed",
        messageId: `msg_slow${crypto.randomUUID().slice(0, 8)}`,
        payload: { type: "run.completed", timestamp: new Date().toISOString(), data: {} },
      })
      .returning();
    const started = Date.now();
    const outcome = await attemptDelivery({ orgId: team.org.id, deliveryId: row?.id as string }, 1, {
      final: false,
      timeoutMs: 1_000,
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(outcome).toMatchObject({ status: "succeeded", statusCode: 200 });
    const [attempt] = await attemptsOf(row?.id as string);
    expect(attempt?.statusCode).toBe(200);
    expect(attempt?.responseSnippet).toMatch(/^ok+$/);
    expect(attempt?.responseSnippet?.length ?? 0).toBeLessThan(1024);
  });

  it("the sweep announces a delivery whose announcement was lost", async () => {
    const { team, endpoint } = await setup();
    const db = await getDb();
    // Recorded without the after-commit announcement (as if the process died right after commit).
    const [row] = await db
      .insert(webhookDeliveries)
      .values({
        orgId: team.org.id,
        endpointId: endpoint.id,
        eventType: "run.completed",
        messageId: `msg_lost${crypto.randomUUID().slice(0, 8)}`,
        payload: { type: "run.completed", timestamp: new Date().toISOString(), data: {} },
        createdAt: new Date(Date.now() - 5 * 60_000),
      })
      .returning();
    const swept = await sweepWebhookDeliveries(app.client, 60_000);
    expect(swept.announced).toBeGreaterThanOrEqual(1);
    expect((await finalDelivery(row?.id as string)).status).toBe("succeeded");
    const again = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, row?.id as string)));
    expect(again[0]?.attempts).toBe(1);
  });
});

async function updateWebhookEndpointActionAs(
  team: Awaited<ReturnType<typeof createTeam>>,
  id: string,
  enabled: boolean,
) {
  actAs(team.admin);
  const result = await updateWebhookEndpointAction(team.org.slug, { id, enabled });
  expect(result.ok).toBe(true);
}

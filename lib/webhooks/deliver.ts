import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { withTenant } from "@/db";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { reachedPublicAddress } from "@/lib/net/guarded-fetch";
import { UNREACHABLE_MESSAGE, UnreachableUrlError } from "@/lib/net/vet-url";
import { wireMessageId } from "./message-id";
import { webhookFetch } from "./url-policy";

export type DeliveryScope = { orgId: string; deliveryId: string };

export type AttemptOutcome = {
  /** Nothing more to try: delivered, failed for good, or the delivery/endpoint is gone. */
  done: boolean;
  status: "succeeded" | "retrying" | "failed" | "gone";
  statusCode: number | null;
};

const SNIPPET_BYTES = 1024;
export const USER_AGENT = "DafnckMachine-Webhooks/1.0";

/**
 * The first `max` bytes of the body as text; the rest is not read. The fetch's signal cuts the
 * read at the attempt's deadline (the bytes read so far are kept).
 */
async function snippetOf(response: Response, max = SNIPPET_BYTES): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } catch {
    // A body cut short still has the bytes read so far.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, max).toString("utf8");
}

function errorText(error: unknown, timeoutMs: number): string {
  const timedOut =
    (error instanceof UnreachableUrlError && error.reason === "timed out") ||
    (error as { name?: unknown } | null)?.name === "TimeoutError";
  if (timedOut) {
    return `No answer within ${Math.round(timeoutMs / 1000)} s.`;
  }
  return UNREACHABLE_MESSAGE;
}

/**
 * Attempt `attempt` of a delivery: sign (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature` over `id.timestamp.body`), POST through the guarded fetch (internal addresses
 * refused again at send time, no redirects followed, one `timeoutMs` deadline for the request and
 * the body read), then record the attempt
 * and the delivery's state in one transaction. A 2xx succeeds; anything else is retried until
 * `final`, which fails the delivery.
 *
 * Safe to run twice: an attempt already recorded is not sent again (its recorded outcome is
 * returned). A crash after sending and before recording sends it again — at-least-once, which
 * is what the stable `webhook-id` lets a receiver dedupe.
 */
export async function attemptDelivery(
  scope: DeliveryScope,
  attempt: number,
  opts: { final: boolean; timeoutMs?: number },
): Promise<AttemptOutcome> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const tenant = { orgId: scope.orgId };
  const loaded = await withTenant(tenant, async (tx) => {
    const [row] = await tx
      .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.orgId, scope.orgId), eq(webhookDeliveries.id, scope.deliveryId)))
      .limit(1);
    if (!row) return null;
    const [prior] = await tx
      .select({ id: webhookAttempts.id })
      .from(webhookAttempts)
      .where(and(eq(webhookAttempts.deliveryId, scope.deliveryId), eq(webhookAttempts.attempt, attempt)))
      .limit(1);
    return { ...row, recorded: Boolean(prior) };
  });
  if (!loaded) return { done: true, status: "gone", statusCode: null };
  const { delivery, endpoint } = loaded;
  if (delivery.status === "succeeded" || delivery.status === "failed") {
    return { done: true, status: delivery.status, statusCode: delivery.lastStatusCode };
  }
  if (loaded.recorded) return { done: false, status: "retrying", statusCode: delivery.lastStatusCode };
  if (!endpoint.enabled) {
    await withTenant(tenant, (tx) =>
      tx
        .update(webhookDeliveries)
        .set({ status: "failed", lastError: "The endpoint is disabled." })
        .where(and(eq(webhookDeliveries.orgId, scope.orgId), eq(webhookDeliveries.id, delivery.id))),
    );
    return { done: true, status: "failed", statusCode: null };
  }

  const body = JSON.stringify(delivery.payload);
  const messageId = wireMessageId(delivery.messageId);
  const now = new Date();
  const signature = new Webhook(decryptSecret(endpoint.secretEncrypted)).sign(messageId, now, body);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let snippet: string | null = null;
  // One deadline for the whole attempt: connecting, the headers AND the body. The guard's own
  // timers bound the headers and each silence; a receiver trickling a byte now and then would
  // otherwise hold the step for as long as it likes while the snippet is read.
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const response = await webhookFetch(timeoutMs)(endpoint.url, {
      signal: deadline,
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": messageId,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
    });
    statusCode = response.status;
    const text = await snippetOf(response);
    // A receiver's answer is shown only if it came from a public address (or private ones are allowed).
    snippet = reachedPublicAddress(response) || env().ALLOW_PRIVATE_NETWORK_URLS ? text : null;
    if (statusCode < 200 || statusCode >= 300) {
      error =
        statusCode >= 300 && statusCode < 400
          ? `Redirected (${statusCode}); redirects are not followed.`
          : `The endpoint answered ${statusCode}.`;
    }
  } catch (failure) {
    error = errorText(failure, timeoutMs);
  }
  const durationMs = Math.round(performance.now() - started);
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const status = ok ? "succeeded" : opts.final ? "failed" : "retrying";

  await withTenant(tenant, async (tx) => {
    const inserted = await tx
      .insert(webhookAttempts)
      .values({
        orgId: scope.orgId,
        deliveryId: delivery.id,
        attempt,
        statusCode,
        durationMs,
        error,
        responseSnippet: snippet,
      })
      .onConflictDoNothing()
      .returning({ id: webhookAttempts.id });
    // A duplicate execution recorded this attempt first: its record stands.
    if (!inserted.length) return;
    await tx
      .update(webhookDeliveries)
      .set({
        status,
        attempts: sql`greatest(${webhookDeliveries.attempts}, ${attempt})`,
        lastStatusCode: statusCode,
        lastDurationMs: durationMs,
        lastError: error,
        ...(ok ? { deliveredAt: new Date() } : {}),
      })
      .where(and(eq(webhookDeliveries.orgId, scope.orgId), eq(webhookDeliveries.id, delivery.id)));
  });
  return { done: ok || opts.final, status, statusCode };
}

/** The function failed for good (e.g. the database kept failing): the delivery says so. */
export async function failDelivery(scope: DeliveryScope, reason: string): Promise<void> {
  await withTenant({ orgId: scope.orgId }, (tx) =>
    tx
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: reason.slice(0, 500) })
      .where(
        and(
          eq(webhookDeliveries.orgId, scope.orgId),
          eq(webhookDeliveries.id, scope.deliveryId),
          sql`${webhookDeliveries.status} in ('pending', 'retrying')`,
        ),
      ),
  );
}

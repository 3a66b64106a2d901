import { and, arrayContains, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { startWebhookAnnouncer, WEBHOOK_DELIVERIES_CHANNEL } from "./announce";
import type { WebhookEnvelope, WebhookEventType } from "./events";
import { eventMessageId } from "./message-id";

/**
 * Records an event for every enabled endpoint of the org subscribed to `type`, inside the caller's
 * transaction: the deliveries exist iff the state change commits. `key` names the state change
 * (stable across re-executions of an at-least-once step), so emitting twice makes one delivery per
 * endpoint (the unique (endpoint, message id) index). Each new delivery is announced with a
 * `pg_notify`, which Postgres delivers only on commit; the announcer then asks Inngest to deliver
 * it, and the sweep catches any announcement a crash lost. Returns the new deliveries' ids.
 */
export async function emitWebhookEvent(
  tx: Tx,
  orgId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  key: string,
): Promise<string[]> {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.orgId, orgId),
        eq(webhookEndpoints.enabled, true),
        arrayContains(webhookEndpoints.events, [type]),
      ),
    );
  if (endpoints.length === 0) return [];
  const messageId = eventMessageId(type, key);
  const payload: WebhookEnvelope = { type, timestamp: new Date().toISOString(), data };
  const inserted = await tx
    .insert(webhookDeliveries)
    .values(endpoints.map((e) => ({ orgId, endpointId: e.id, eventType: type, messageId, payload })))
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id, endpointId: webhookDeliveries.endpointId });
  for (const d of inserted) {
    await tx.execute(
      sql`select pg_notify(${WEBHOOK_DELIVERIES_CHANNEL}, ${`${orgId}:${d.endpointId}:${d.id}`})`,
    );
  }
  // Normally already listening (server start); the sweep covers a first event the listener missed.
  if (inserted.length) startWebhookAnnouncer();
  return inserted.map((d) => d.id);
}

import { and, asc, eq, gt, lt } from "drizzle-orm";
import type { Inngest } from "inngest";
import { getDb } from "@/db";
import { webhookDeliveries } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { webhookDeliveryRequested } from "@/inngest/events";

/**
 * Announcing deliveries to the `deliver-webhook` function after their transaction commits. The
 * emitting transaction issues `pg_notify(WEBHOOK_DELIVERIES_CHANNEL, "org:endpoint:delivery")`,
 * delivered only on commit; one LISTEN per process sends the Inngest event with the stable id
 * `webhook-delivery:<id>`, so several processes announcing one delivery start one run (events with
 * an id are deduped for 24 h, by Inngest and the embedded engine alike).
 */
export const WEBHOOK_DELIVERIES_CHANNEL = "dm_webhook_deliveries";

export type DeliveryRef = { orgId: string; endpointId: string; deliveryId: string };

const eventId = (deliveryId: string) => `webhook-delivery:${deliveryId}`;

/** Asks for the deliveries to be sent (after their rows committed). */
export async function announceDeliveries(refs: DeliveryRef[], client: Inngest.Any = inngest): Promise<void> {
  if (refs.length === 0) return;
  await client.send(
    refs.map((ref) => webhookDeliveryRequested.create({ ...ref }, { id: eventId(ref.deliveryId) })),
  );
}

type ListenClient = { listen: (channel: string, cb: (payload: string) => void) => Promise<unknown> };
const g = globalThis as unknown as { __dmWebhookAnnouncer?: Promise<void> };

function onNotify(payload: string) {
  const [orgId, endpointId, deliveryId] = payload.split(":");
  if (!orgId || !endpointId || !deliveryId) return;
  announceDeliveries([{ orgId, endpointId, deliveryId }]).catch((error) => {
    // The delivery stays pending; the sweep announces it again within a minute or two.
    console.error("[webhooks] could not announce a delivery", error);
  });
}

/** Starts this process's LISTEN once (idempotent); resolves when it is listening. */
export function startWebhookAnnouncer(): Promise<void> {
  g.__dmWebhookAnnouncer ??= (async () => {
    const db = await getDb();
    const client = (db as unknown as { $client: ListenClient }).$client;
    await client.listen(WEBHOOK_DELIVERIES_CHANNEL, onNotify);
  })().catch((error) => {
    g.__dmWebhookAnnouncer = undefined;
    console.error("[webhooks] could not listen for deliveries", error);
  });
  return g.__dmWebhookAnnouncer;
}

const GIVE_UP_MS = 3 * 86_400_000;

/**
 * Re-announces deliveries still pending (never attempted) `olderThanMs` after they were recorded:
 * their announcement was lost (a crash between commit and send). One already received is deduped
 * by its event id. Deliveries never attempted within 3 days are failed. A system job: it reads
 * every organization's deliveries on the owner connection.
 */
export async function sweepWebhookDeliveries(
  client: Inngest.Any = inngest,
  olderThanMs = 60_000,
): Promise<{ announced: number; expired: number }> {
  const db = await getDb();
  const now = Date.now();
  const expired = await db
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: "Not sent within 3 days." })
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        eq(webhookDeliveries.attempts, 0),
        lt(webhookDeliveries.createdAt, new Date(now - GIVE_UP_MS)),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  const stale = await db
    .select({
      orgId: webhookDeliveries.orgId,
      endpointId: webhookDeliveries.endpointId,
      deliveryId: webhookDeliveries.id,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        eq(webhookDeliveries.attempts, 0),
        lt(webhookDeliveries.createdAt, new Date(now - olderThanMs)),
        gt(webhookDeliveries.createdAt, new Date(now - GIVE_UP_MS)),
      ),
    )
    // Oldest first, so a lost announcement is not starved behind newer rows the sweep re-sends.
    .orderBy(asc(webhookDeliveries.createdAt))
    .limit(500);
  await announceDeliveries(stale, client);
  return { announced: stale.length, expired: expired.length };
}

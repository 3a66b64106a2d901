import { and, eq } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { assertId, requireWebhookAccess } from "./access";
import { announceDeliveries } from "./announce";
import { resendMessageId } from "./message-id";
import { toDeliverySummary, type WebhookDeliverySummary } from "./schemas";

/**
 * Sends a delivery's message again, as a new delivery (`resentFromId`, its own attempts) to the
 * same endpoint with the same payload and the same `webhook-id` (see message-id.ts), signed anew.
 */
export async function resendWebhookDelivery(ctx: OrgContext, id: string): Promise<WebhookDeliverySummary> {
  requireWebhookAccess(ctx);
  assertId(id, "Delivery");
  const { row, url } = await ctx.tx(async (tx) => {
    const [found] = await tx
      .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.orgId, ctx.org.id), eq(webhookDeliveries.id, id)))
      .limit(1);
    if (!found) throw notFound("Delivery not found.");
    if (!found.endpoint.enabled) throw new AppError("conflict", "Enable the endpoint to resend to it.");
    const original = found.delivery;
    const [created] = await tx
      .insert(webhookDeliveries)
      .values({
        orgId: ctx.org.id,
        endpointId: original.endpointId,
        eventType: original.eventType,
        messageId: resendMessageId(original.messageId),
        payload: original.payload,
        resentFromId: original.resentFromId ?? original.id,
      })
      .returning();
    if (!created) throw new Error("webhook delivery insert returned nothing");
    await ctx.audit(tx, {
      action: "webhook.resend",
      target: { type: "webhook_delivery", id: created.id },
      metadata: { resentFromId: original.id, endpointId: original.endpointId, eventType: original.eventType },
    });
    return { row: created, url: found.endpoint.url };
  });
  try {
    await announceDeliveries([{ orgId: ctx.org.id, endpointId: row.endpointId, deliveryId: row.id }]);
  } catch (error) {
    // Committed as pending: the sweep announces it again.
    console.error("[webhooks] could not announce a resend", error);
  }
  return toDeliverySummary(row, url);
}

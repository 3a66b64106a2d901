import { and, eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { lockEndpoint, requireWebhookAccess } from "./access";

/** Deletes an endpoint with its delivery log; a delivery in flight finds it gone and stops. */
export async function deleteWebhookEndpoint(ctx: OrgContext, id: string): Promise<{ id: string }> {
  requireWebhookAccess(ctx);
  return ctx.tx(async (tx) => {
    const row = await lockEndpoint(tx, ctx, id);
    await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.orgId, ctx.org.id), eq(webhookEndpoints.id, id)));
    await ctx.audit(tx, {
      action: "webhook.delete",
      target: { type: "webhook_endpoint", id },
      metadata: { url: new URL(row.url).origin, events: row.events },
    });
    return { id };
  });
}

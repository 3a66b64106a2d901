import { and, eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import type { OrgContext } from "@/lib/orgs/context";
import { lockEndpoint, requireWebhookAccess } from "./access";
import { toEndpointSummary, type UpdateWebhookEndpointInput, type WebhookEndpointSummary } from "./schemas";
import { generateWebhookSecret } from "./secret";
import { assertWebhookUrl } from "./url-policy";

/** Changes an endpoint's URL (checked again), description, events or enabled state. */
export async function updateWebhookEndpoint(
  ctx: OrgContext,
  input: UpdateWebhookEndpointInput,
): Promise<WebhookEndpointSummary> {
  requireWebhookAccess(ctx);
  const url = input.url === undefined ? undefined : await assertWebhookUrl(input.url);
  return ctx.tx(async (tx) => {
    const before = await lockEndpoint(tx, ctx, input.id);
    const patch = {
      ...(url !== undefined ? { url } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.events !== undefined ? { events: input.events } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    };
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(webhookEndpoints.orgId, ctx.org.id), eq(webhookEndpoints.id, before.id)))
      .returning();
    if (!row) throw new Error("webhook endpoint update returned nothing");
    await ctx.audit(tx, {
      action: "webhook.update",
      target: { type: "webhook_endpoint", id: row.id },
      metadata: {
        changed: Object.keys(patch),
        ...(url !== undefined ? { url: new URL(url).origin } : {}),
        ...(input.events !== undefined ? { events: input.events } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      },
    });
    return toEndpointSummary(row);
  });
}

/**
 * Replaces the signing secret (returned this once). Deliveries signed from now on use the new one;
 * the receiver must switch at the same time.
 */
export async function rollWebhookSecret(
  ctx: OrgContext,
  id: string,
): Promise<{ endpoint: WebhookEndpointSummary; secret: string }> {
  requireWebhookAccess(ctx);
  const secret = generateWebhookSecret();
  return ctx.tx(async (tx) => {
    await lockEndpoint(tx, ctx, id);
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ secretEncrypted: encryptSecret(secret), updatedAt: new Date() })
      .where(and(eq(webhookEndpoints.orgId, ctx.org.id), eq(webhookEndpoints.id, id)))
      .returning();
    if (!row) throw new Error("webhook endpoint update returned nothing");
    await ctx.audit(tx, {
      action: "webhook.update",
      target: { type: "webhook_endpoint", id },
      metadata: { changed: ["secret"] },
    });
    return { endpoint: toEndpointSummary(row), secret };
  });
}

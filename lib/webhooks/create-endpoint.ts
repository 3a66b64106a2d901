import { webhookEndpoints } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import type { OrgContext } from "@/lib/orgs/context";
import { assertOrgQuota } from "@/lib/orgs/org-quota";
import { requireWebhookAccess } from "./access";
import { type CreateWebhookEndpointInput, toEndpointSummary, type WebhookEndpointSummary } from "./schemas";
import { generateWebhookSecret } from "./secret";
import { assertWebhookUrl } from "./url-policy";

/** Endpoints per organization: each run event fans out to every subscribed one in its transaction. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

/**
 * Registers an endpoint. Its URL must pass the guard against internal addresses; its signing
 * secret is generated here, returned this once, and stored encrypted.
 */
export async function createWebhookEndpoint(
  ctx: OrgContext,
  input: CreateWebhookEndpointInput,
): Promise<{ endpoint: WebhookEndpointSummary; secret: string }> {
  requireWebhookAccess(ctx);
  const url = await assertWebhookUrl(input.url);
  const secret = generateWebhookSecret();
  const row = await ctx.tx(async (tx) => {
    await assertOrgQuota(tx, {
      orgId: ctx.org.id,
      table: webhookEndpoints,
      orgColumn: webhookEndpoints.orgId,
      max: MAX_WEBHOOK_ENDPOINTS,
      what: "webhook endpoints",
    });
    const [created] = await tx
      .insert(webhookEndpoints)
      .values({
        orgId: ctx.org.id,
        url,
        description: input.description ?? "",
        events: input.events,
        secretEncrypted: encryptSecret(secret),
        createdById: ctx.user.id,
      })
      .returning();
    if (!created) throw new Error("webhook endpoint insert returned nothing");
    await ctx.audit(tx, {
      action: "webhook.create",
      target: { type: "webhook_endpoint", id: created.id },
      metadata: { url: new URL(url).origin, events: input.events },
    });
    return created;
  });
  return { endpoint: toEndpointSummary(row), secret };
}

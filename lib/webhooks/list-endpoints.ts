import { and, desc, eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { assertId, requireWebhookAccess } from "./access";
import { toEndpointSummary, type WebhookEndpointSummary } from "./schemas";

export async function listWebhookEndpoints(ctx: OrgContext): Promise<WebhookEndpointSummary[]> {
  requireWebhookAccess(ctx);
  const rows = await ctx.tx((tx) =>
    tx
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.orgId, ctx.org.id))
      .orderBy(desc(webhookEndpoints.createdAt))
      .limit(200),
  );
  return rows.map(toEndpointSummary);
}

export async function getWebhookEndpoint(ctx: OrgContext, id: string): Promise<WebhookEndpointSummary> {
  requireWebhookAccess(ctx);
  assertId(id, "Webhook endpoint");
  const [row] = await ctx.tx((tx) =>
    tx
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.orgId, ctx.org.id), eq(webhookEndpoints.id, id)))
      .limit(1),
  );
  if (!row) throw notFound("Webhook endpoint not found.");
  return toEndpointSummary(row);
}

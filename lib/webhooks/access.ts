import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { webhookEndpoints } from "@/db/schema";
import { requireScope } from "@/lib/api-keys/key-context";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";

/** Every webhook verb needs `integrations.manage` (admins; keys with that scope). */
export function requireWebhookAccess(ctx: OrgContext): void {
  requireScope(ctx, "integrations.manage");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that cannot exist is simply not found (not a database error). */
export function assertId(id: string, what: string): void {
  if (!UUID.test(id)) throw notFound(`${what} not found.`);
}

/** The org's endpoint, locked for the change; another org's id is a 404. */
export async function lockEndpoint(tx: Tx, ctx: OrgContext, id: string) {
  assertId(id, "Webhook endpoint");
  const [row] = await tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, ctx.org.id), eq(webhookEndpoints.id, id)))
    .for("update")
    .limit(1);
  if (!row) throw notFound("Webhook endpoint not found.");
  return row;
}

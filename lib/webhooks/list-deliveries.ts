import { and, asc, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { AppError, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { assertId, requireWebhookAccess } from "./access";
import {
  type ListWebhookDeliveriesInput,
  listWebhookDeliveriesInput,
  toDeliverySummary,
  type WebhookDeliveryDetail,
  type WebhookDeliverySummary,
} from "./schemas";

function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at ?? "");
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError("validation", "Some fields are invalid.", {
      fieldErrors: { cursor: ["Bad cursor."] },
    });
  }
  return { createdAt, id };
}

/** The org's deliveries (optionally one endpoint's), newest first, a page at a time. */
export async function listWebhookDeliveries(
  ctx: OrgContext,
  rawInput: ListWebhookDeliveriesInput = {},
): Promise<{ deliveries: WebhookDeliverySummary[]; nextCursor: string | null }> {
  requireWebhookAccess(ctx);
  const input = parseWith(listWebhookDeliveriesInput, rawInput);
  const where: SQL[] = [eq(webhookDeliveries.orgId, ctx.org.id)];
  if (input.endpointId) where.push(eq(webhookDeliveries.endpointId, input.endpointId));
  if (input.status) where.push(eq(webhookDeliveries.status, input.status));
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.push(
      or(
        lt(webhookDeliveries.createdAt, c.createdAt),
        and(eq(webhookDeliveries.createdAt, c.createdAt), lt(webhookDeliveries.id, c.id)),
      ) as SQL,
    );
  }
  const rows = await ctx.tx((tx) =>
    tx
      .select({ delivery: webhookDeliveries, url: webhookEndpoints.url })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(...where))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(input.limit + 1),
  );
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    deliveries: page.map((r) => toDeliverySummary(r.delivery, r.url)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.delivery) : null,
  };
}

/** One delivery with its payload and every attempt. */
export async function getWebhookDelivery(ctx: OrgContext, id: string): Promise<WebhookDeliveryDetail> {
  requireWebhookAccess(ctx);
  assertId(id, "Delivery");
  return ctx.tx(async (tx) => {
    const [row] = await tx
      .select({ delivery: webhookDeliveries, url: webhookEndpoints.url })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.orgId, ctx.org.id), eq(webhookDeliveries.id, id)))
      .limit(1);
    if (!row) throw notFound("Delivery not found.");
    const attempts = await tx
      .select()
      .from(webhookAttempts)
      .where(and(eq(webhookAttempts.orgId, ctx.org.id), eq(webhookAttempts.deliveryId, id)))
      .orderBy(asc(webhookAttempts.attempt));
    return {
      ...toDeliverySummary(row.delivery, row.url),
      payload: row.delivery.payload,
      attemptLog: attempts.map((a) => ({
        attempt: a.attempt,
        statusCode: a.statusCode,
        durationMs: a.durationMs,
        error: a.error,
        responseSnippet: a.responseSnippet,
        createdAt: a.createdAt.toISOString(),
      })),
    };
  });
}

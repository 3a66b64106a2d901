import { z } from "zod";
import { WEBHOOK_DELIVERY_STATUSES, type webhookDeliveries, type webhookEndpoints } from "@/db/schema";
import { WEBHOOK_EVENTS } from "./events";

/** Checkbox forms send "on" (or nothing), JSON sends booleans. */
const flag = z.preprocess(
  (v) => (v === "on" || v === "true" ? true : v === "false" ? false : v),
  z.boolean(),
);

/** One event or many (repeated form fields arrive as a string or an array). */
const events = z.preprocess(
  (v) => (typeof v === "string" ? [v] : v),
  z
    .array(z.enum(WEBHOOK_EVENTS, { message: "Unknown event." }))
    .min(1, "Choose at least one event.")
    .max(WEBHOOK_EVENTS.length)
    .transform((e) => [...new Set(e)]),
);

const url = z.string().trim().min(1, "Enter the endpoint's URL.").max(2000, "At most 2000 characters.");
const description = z.string().trim().max(200, "At most 200 characters.");

export const createWebhookEndpointInput = z.object({
  url,
  description: description.optional().default(""),
  events,
});
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointInput>;

export const updateWebhookEndpointInput = z.object({
  id: z.uuid("Unknown endpoint."),
  url: url.optional(),
  description: description.optional(),
  events: events.optional(),
  enabled: flag.optional(),
});
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointInput>;

export const webhookEndpointIdInput = z.object({ id: z.uuid("Unknown endpoint.") });
export const webhookDeliveryIdInput = z.object({ id: z.uuid("Unknown delivery.") });

export const listWebhookDeliveriesInput = z.object({
  endpointId: z.uuid("Unknown endpoint.").optional(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional().default(25),
});
export type ListWebhookDeliveriesInput = z.input<typeof listWebhookDeliveriesInput>;

export type WebhookEndpointSummary = {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
};

export type WebhookDeliverySummary = {
  id: string;
  endpointId: string;
  endpointUrl: string;
  eventType: string;
  /** The `webhook-id` the receiver sees. */
  messageId: string;
  status: (typeof WEBHOOK_DELIVERY_STATUSES)[number];
  attempts: number;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  resentFromId: string | null;
  createdAt: string;
  deliveredAt: string | null;
};

export type WebhookAttemptView = {
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseSnippet: string | null;
  createdAt: string;
};

export type WebhookDeliveryDetail = WebhookDeliverySummary & {
  payload: Record<string, unknown>;
  attemptLog: WebhookAttemptView[];
};

export function toEndpointSummary(row: typeof webhookEndpoints.$inferSelect): WebhookEndpointSummary {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDeliverySummary(
  row: typeof webhookDeliveries.$inferSelect,
  endpointUrl: string,
): WebhookDeliverySummary {
  return {
    id: row.id,
    endpointId: row.endpointId,
    endpointUrl,
    eventType: row.eventType,
    messageId: row.messageId.split(".")[0] ?? row.messageId,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastDurationMs: row.lastDurationMs,
    lastError: row.lastError,
    resentFromId: row.resentFromId,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

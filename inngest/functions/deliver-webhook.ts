import type { Inngest } from "inngest";
import { attemptDelivery, failDelivery } from "@/lib/webhooks/deliver";
import { inngest } from "../client";
import { webhookDeliveryRequested } from "../events";

/** Waits between attempts: the first try at once, then after 10 s, 1 min, 5 min, 30 min and 2 h. */
export const DEFAULT_RETRY_DELAYS: (string | number)[] = ["10s", "1m", "5m", "30m", "2h"];

export type DeliverWebhookOptions = {
  /** The sleeps between attempts; attempts = delays + 1. Tests pass milliseconds. */
  retryDelays?: (string | number)[];
  /** Deadline of one request (default 10 s). */
  timeoutMs?: number;
};

/**
 * Sends one webhook delivery: each attempt its own step (a retried step finds its recorded attempt
 * and does not send again), durable sleeps between attempts, failed after the last. At most two
 * requests in flight per endpoint, so a slow receiver does not hold every worker.
 */
export function createDeliverWebhookFunction(client: Inngest.Any, options: DeliverWebhookOptions = {}) {
  const delays = options.retryDelays ?? DEFAULT_RETRY_DELAYS;
  const maxAttempts = delays.length + 1;
  return client.createFunction(
    {
      id: "deliver-webhook",
      name: "Deliver a webhook",
      // Step retries are for the database; an HTTP failure is an attempt, not a step error.
      retries: 3,
      concurrency: [{ key: "event.data.endpointId", limit: 2 }],
      triggers: [webhookDeliveryRequested],
      onFailure: async ({ event, step }) => {
        const { orgId, deliveryId } = event.data.event.data;
        await step.run("fail-delivery", () =>
          failDelivery({ orgId, deliveryId }, "Delivery stopped after an internal error."),
        );
      },
    },
    async ({ event, step }) => {
      const scope = { orgId: event.data.orgId, deliveryId: event.data.deliveryId };
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const outcome = await step.run(`attempt-${attempt}`, () =>
          attemptDelivery(scope, attempt, { final: attempt === maxAttempts, timeoutMs: options.timeoutMs }),
        );
        if (outcome.done) return { ...outcome, attempts: attempt };
        const delay = delays[attempt - 1] ?? "1m";
        await step.sleep(`wait-${attempt}`, delay);
      }
      return { done: true, status: "failed", attempts: maxAttempts };
    },
  );
}

export const deliverWebhook = createDeliverWebhookFunction(inngest);

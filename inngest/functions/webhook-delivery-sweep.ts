import { cron } from "inngest";
import { sweepWebhookDeliveries } from "@/lib/webhooks/announce";
import { inngest } from "../client";

/**
 * Every minute: announces webhook deliveries recorded but never attempted, whose announcement a
 * crash between commit and send lost (one already received is deduped by its event id).
 */
export const webhookDeliverySweep = inngest.createFunction(
  {
    id: "webhook-delivery-sweep",
    name: "Announce lost webhook deliveries",
    retries: 3,
    triggers: [cron("* * * * *")],
  },
  async ({ step }) => step.run("sweep", () => sweepWebhookDeliveries(inngest)),
);

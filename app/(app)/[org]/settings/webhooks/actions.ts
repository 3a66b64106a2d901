"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/api/action";
import { createWebhookEndpoint } from "@/lib/webhooks/create-endpoint";
import { deleteWebhookEndpoint } from "@/lib/webhooks/delete-endpoint";
import { resendWebhookDelivery } from "@/lib/webhooks/resend-delivery";
import {
  createWebhookEndpointInput,
  updateWebhookEndpointInput,
  webhookDeliveryIdInput,
  webhookEndpointIdInput,
} from "@/lib/webhooks/schemas";
import { rollWebhookSecret, updateWebhookEndpoint } from "@/lib/webhooks/update-endpoint";

const PERMISSION = "integrations.manage" as const;
const refresh = (org: string) => revalidatePath(`/${org}/settings/webhooks`, "layout");

/** Returns the signing secret this once. */
export const createWebhookEndpointAction = orgAction(
  { permission: PERMISSION, schema: createWebhookEndpointInput },
  async (input, ctx) => {
    const created = await createWebhookEndpoint(ctx, input);
    refresh(ctx.org.slug);
    return created;
  },
);

export const updateWebhookEndpointAction = orgAction(
  { permission: PERMISSION, schema: updateWebhookEndpointInput },
  async (input, ctx) => {
    const endpoint = await updateWebhookEndpoint(ctx, input);
    refresh(ctx.org.slug);
    return endpoint;
  },
);

export const rollWebhookSecretAction = orgAction(
  { permission: PERMISSION, schema: webhookEndpointIdInput },
  async (input, ctx) => rollWebhookSecret(ctx, input.id),
);

export const deleteWebhookEndpointAction = orgAction(
  { permission: PERMISSION, schema: webhookEndpointIdInput },
  async (input, ctx) => {
    const deleted = await deleteWebhookEndpoint(ctx, input.id);
    refresh(ctx.org.slug);
    return deleted;
  },
);

export const resendWebhookDeliveryAction = orgAction(
  { permission: PERMISSION, schema: webhookDeliveryIdInput },
  async (input, ctx) => {
    const delivery = await resendWebhookDelivery(ctx, input.id);
    refresh(ctx.org.slug);
    return delivery;
  },
);

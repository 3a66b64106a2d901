"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/api/action";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { apiKeyIdInput, createApiKeyInput } from "@/lib/api-keys/schemas";

/** Returns the secret once; the page never receives it again. */
export const createApiKeyAction = orgAction(
  { permission: "api_keys.manage", schema: createApiKeyInput },
  async (input, ctx) => {
    const created = await createApiKey(ctx, input);
    revalidatePath(`/${ctx.org.slug}/settings/api-keys`);
    return created;
  },
);

export const revokeApiKeyAction = orgAction(
  { permission: "api_keys.manage", schema: apiKeyIdInput },
  async (input, ctx) => {
    const key = await revokeApiKey(ctx, input.id);
    revalidatePath(`/${ctx.org.slug}/settings/api-keys`);
    return key;
  },
);

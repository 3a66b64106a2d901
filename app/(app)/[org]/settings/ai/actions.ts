"use server";

import { revalidatePath } from "next/cache";
import { aiSettingsInputSchema, updateAiSettings } from "@/lib/ai/org-settings";
import { orgAction } from "@/lib/api/action";

export const saveAiSettingsAction = orgAction(
  { permission: "org.manage", schema: aiSettingsInputSchema },
  async (input, ctx) => {
    const settings = await updateAiSettings(ctx, input);
    revalidatePath(`/${ctx.org.slug}/settings/ai`);
    return settings;
  },
);

import { aiSettingsInputSchema, getAiSettings, updateAiSettings } from "@/lib/ai/org-settings";
import { orgRoute } from "@/lib/api/route";

export const GET = orgRoute({ permission: "org.manage" }, async ({ ctx }) => getAiSettings(ctx));

export const PUT = orgRoute(
  { permission: "org.manage", body: aiSettingsInputSchema },
  async ({ ctx, body }) => updateAiSettings(ctx, body),
);

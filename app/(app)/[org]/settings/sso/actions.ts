"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/api/action";
import { deleteSsoConnection } from "@/lib/sso/delete-connection";
import { deleteSsoConnectionSchema, ssoConnectionInputSchema } from "@/lib/sso/schemas";
import { upsertSsoConnection } from "@/lib/sso/upsert-connection";

export const saveSsoConnectionAction = orgAction(
  { permission: "sso.manage", schema: ssoConnectionInputSchema },
  async (input, ctx) => {
    const connection = await upsertSsoConnection(ctx, input);
    revalidatePath(`/${ctx.org.slug}/settings/sso`);
    return connection;
  },
);

export const deleteSsoConnectionAction = orgAction(
  { permission: "sso.manage", schema: deleteSsoConnectionSchema },
  async (_input, ctx) => {
    const result = await deleteSsoConnection(ctx);
    revalidatePath(`/${ctx.org.slug}/settings/sso`);
    return result;
  },
);

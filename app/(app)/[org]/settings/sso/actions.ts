"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/api/action";
import { deleteSsoConnection } from "@/lib/sso/delete-connection";
import {
  deleteSsoConnectionSchema,
  ssoConnectionInputSchema,
  verifySsoDomainSchema,
} from "@/lib/sso/schemas";
import { testSsoSignIn } from "@/lib/sso/test-sign-in";
import { upsertSsoConnection } from "@/lib/sso/upsert-connection";
import { verifySsoDomain } from "@/lib/sso/verify-domain";

export const saveSsoConnectionAction = orgAction(
  { permission: "sso.manage", schema: ssoConnectionInputSchema },
  async (input, ctx) => {
    const connection = await upsertSsoConnection(ctx, input);
    revalidatePath(`/${ctx.org.slug}/settings/sso`);
    return connection;
  },
);

export const verifySsoDomainAction = orgAction(
  { permission: "sso.manage", schema: verifySsoDomainSchema },
  async (input, ctx) => {
    const domain = await verifySsoDomain(ctx, input);
    revalidatePath(`/${ctx.org.slug}/settings/sso`);
    return domain;
  },
);

/** Ends in a redirect to the IdP; coming back, the settings page shows the result. */
export const testSsoSignInAction = orgAction(
  { permission: "sso.manage", schema: deleteSsoConnectionSchema },
  async (_input, ctx) => testSsoSignIn(ctx),
);

export const deleteSsoConnectionAction = orgAction(
  { permission: "sso.manage", schema: deleteSsoConnectionSchema },
  async (_input, ctx) => {
    const result = await deleteSsoConnection(ctx);
    revalidatePath(`/${ctx.org.slug}/settings/sso`);
    return result;
  },
);

import { eq } from "drizzle-orm";
import { ssoConnections } from "@/db/schema";
import { signIn } from "@/lib/auth";
import { AppError, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { withSsoConnection } from "./provider";
import { ssoProviderId } from "./provider-id";

/**
 * "Test sign-in": sends the admin through the organization's IdP before any domain is verified.
 * For an email in an unverified domain the callback signs no one in and returns to the settings
 * page with what the IdP asserted (lib/sso/authorize-sign-in.ts), so the admin keeps their session.
 * Ends in a redirect to the IdP.
 */
export async function testSsoSignIn(ctx: OrgContext): Promise<never> {
  const connection = await ctx.tx(async (tx) => {
    const [row] = await tx
      .select({ id: ssoConnections.id, enabled: ssoConnections.enabled })
      .from(ssoConnections)
      .where(eq(ssoConnections.orgId, ctx.org.id))
      .limit(1);
    return row;
  });
  if (!connection) throw notFound("No SSO connection is configured for this organization.");
  if (!connection.enabled) throw new AppError("conflict", "Enable the connection to test it.");
  const settings = `/${ctx.org.slug}/settings/sso`;
  await withSsoConnection(connection.id, () =>
    signIn(ssoProviderId(connection.id), { redirectTo: settings }, { prompt: "login" }),
  );
  throw new Error("signIn() returned without redirecting");
}

import { eq } from "drizzle-orm";
import { ssoConnections } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";

/** Removes the connection; its domains go with it (foreign key cascade), freeing them for others. */
export async function deleteSsoConnection(ctx: OrgContext): Promise<{ id: string }> {
  return ctx.tx(async (tx) => {
    const [row] = await tx
      .delete(ssoConnections)
      .where(eq(ssoConnections.orgId, ctx.org.id))
      .returning({ id: ssoConnections.id, issuer: ssoConnections.issuer, domains: ssoConnections.domains });
    if (!row) throw notFound("No SSO connection is configured for this organization.");
    await ctx.audit(tx, {
      action: "sso.delete",
      target: { type: "sso_connection", id: row.id },
      metadata: { issuer: row.issuer, domains: row.domains },
    });
    return { id: row.id };
  });
}

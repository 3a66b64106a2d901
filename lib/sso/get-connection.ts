import { eq } from "drizzle-orm";
import { type Role, ssoConnections } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";

/** What the browser may see of a connection: everything but the secret. */
export type SsoConnectionView = {
  id: string;
  issuer: string;
  clientId: string;
  hasSecret: boolean;
  domains: string[];
  enforced: boolean;
  enabled: boolean;
  defaultRole: Role;
  createdAt: string;
  updatedAt: string;
};

export function toSsoConnectionView(row: typeof ssoConnections.$inferSelect): SsoConnectionView {
  return {
    id: row.id,
    issuer: row.issuer,
    clientId: row.clientId,
    hasSecret: row.clientSecretEncrypted.length > 0,
    domains: [...row.domains].sort(),
    enforced: row.enforced,
    enabled: row.enabled,
    defaultRole: row.defaultRole,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getSsoConnection(ctx: OrgContext): Promise<SsoConnectionView | null> {
  const row = await ctx.tx(async (tx) => {
    const [r] = await tx.select().from(ssoConnections).where(eq(ssoConnections.orgId, ctx.org.id)).limit(1);
    return r;
  });
  return row ? toSsoConnectionView(row) : null;
}

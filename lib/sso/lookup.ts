import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { organizations, type Role, ssoConnections, ssoDomains } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { emailDomain } from "./domains";

/**
 * System lookups for sign-in. They run before anyone is signed in, so they use the owner
 * connection and return only what routing and the OIDC client need.
 */

export type SsoRoute = {
  connectionId: string;
  orgId: string;
  orgSlug: string;
  orgName: string;
  enabled: boolean;
  enforced: boolean;
};

/** Only a domain its organization verified routes anyone: a pending claim proves nothing. */
export async function findSsoRouteForEmail(email: string): Promise<SsoRoute | null> {
  const domain = emailDomain(email);
  if (!domain) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      connectionId: ssoConnections.id,
      orgId: organizations.id,
      orgSlug: organizations.slug,
      orgName: organizations.name,
      enabled: ssoConnections.enabled,
      enforced: ssoConnections.enforced,
    })
    .from(ssoDomains)
    .innerJoin(ssoConnections, eq(ssoConnections.id, ssoDomains.connectionId))
    .innerJoin(organizations, eq(organizations.id, ssoDomains.orgId))
    .where(and(eq(ssoDomains.domain, domain), eq(ssoDomains.status, "verified")))
    .limit(1);
  return row ?? null;
}

/** The organization whose enforced connection owns this email's domain, if any. */
export async function enforcedSsoFor(email: string | null | undefined): Promise<SsoRoute | null> {
  if (!email) return null;
  const route = await findSsoRouteForEmail(email);
  return route?.enabled && route.enforced ? route : null;
}

export type SsoClientConnection = {
  id: string;
  orgId: string;
  orgSlug: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Every domain the connection claims, and the ones its organization verified. */
  domains: string[];
  verifiedDomains: string[];
  defaultRole: Role;
  jitEnabled: boolean;
  jitReadmitRemoved: boolean;
};

/** An enabled connection with its secret decrypted, to build the OIDC client for one request. */
export async function loadSsoClientConnection(connectionId: string): Promise<SsoClientConnection | null> {
  const db = await getDb();
  const [row] = await db
    .select({ connection: ssoConnections, orgSlug: organizations.slug })
    .from(ssoConnections)
    .innerJoin(organizations, eq(organizations.id, ssoConnections.orgId))
    .where(eq(ssoConnections.id, connectionId))
    .limit(1);
  if (!row?.connection.enabled) return null;
  const c = row.connection;
  const claims = await db
    .select({ domain: ssoDomains.domain, status: ssoDomains.status })
    .from(ssoDomains)
    .where(and(eq(ssoDomains.orgId, c.orgId), eq(ssoDomains.connectionId, c.id)));
  return {
    id: c.id,
    orgId: c.orgId,
    orgSlug: row.orgSlug,
    issuer: c.issuer,
    clientId: c.clientId,
    clientSecret: decryptSecret(c.clientSecretEncrypted),
    domains: claims.map((d) => d.domain),
    verifiedDomains: claims.filter((d) => d.status === "verified").map((d) => d.domain),
    defaultRole: c.defaultRole,
    jitEnabled: c.jitEnabled,
    jitReadmitRemoved: c.jitReadmitRemoved,
  };
}

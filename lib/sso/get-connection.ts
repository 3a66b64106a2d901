import { and, eq, inArray, ne } from "drizzle-orm";
import { getDb } from "@/db";
import { type Role, type SsoDomainStatus, ssoConnections, ssoDomains } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { UNVERIFY_AFTER_FAILED_CHECKS } from "./check-domain";
import { txtRecordName, txtRecordValue } from "./domain-record";

/** One claimed domain as its admin sees it: the TXT record to publish and the last check. */
export type SsoDomainView = {
  domain: string;
  /** `verified_elsewhere`: another organization proved ownership first; this claim cannot win. */
  status: SsoDomainStatus | "verified_elsewhere";
  recordName: string;
  recordValue: string;
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  lastError: string | null;
  failedChecks: number;
  failedChecksAllowed: number;
};

/** What the browser may see of a connection: everything but the secret. */
export type SsoConnectionView = {
  id: string;
  issuer: string;
  clientId: string;
  hasSecret: boolean;
  domains: string[];
  domainRecords: SsoDomainView[];
  /** Routing, "Require SSO" and JIT apply to verified domains only. */
  hasVerifiedDomain: boolean;
  enforced: boolean;
  enabled: boolean;
  defaultRole: Role;
  jitEnabled: boolean;
  jitReadmitRemoved: boolean;
  createdAt: string;
  updatedAt: string;
};

type DomainRow = typeof ssoDomains.$inferSelect;

/** Domains among `domains` that another organization holds verified (a system read, past RLS). */
async function verifiedElsewhere(orgId: string, domains: string[]): Promise<Set<string>> {
  if (domains.length === 0) return new Set();
  const db = await getDb();
  const rows = await db
    .select({ domain: ssoDomains.domain })
    .from(ssoDomains)
    .where(
      and(
        inArray(ssoDomains.domain, domains),
        eq(ssoDomains.status, "verified"),
        ne(ssoDomains.orgId, orgId),
      ),
    );
  return new Set(rows.map((r) => r.domain));
}

function toDomainView(row: DomainRow, elsewhere: Set<string>): SsoDomainView {
  return {
    domain: row.domain,
    status: row.status !== "verified" && elsewhere.has(row.domain) ? "verified_elsewhere" : row.status,
    recordName: txtRecordName(row.domain),
    recordValue: txtRecordValue(row.token),
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    lastError: row.lastError,
    failedChecks: row.failedChecks,
    failedChecksAllowed: UNVERIFY_AFTER_FAILED_CHECKS,
  };
}

export async function getSsoConnection(ctx: OrgContext): Promise<SsoConnectionView | null> {
  const found = await ctx.tx(async (tx) => {
    const [row] = await tx.select().from(ssoConnections).where(eq(ssoConnections.orgId, ctx.org.id)).limit(1);
    if (!row) return null;
    const domains = await tx
      .select()
      .from(ssoDomains)
      .where(and(eq(ssoDomains.orgId, ctx.org.id), eq(ssoDomains.connectionId, row.id)));
    return { row, domains };
  });
  if (!found) return null;
  const { row, domains } = found;
  const elsewhere = await verifiedElsewhere(
    ctx.org.id,
    domains.map((d) => d.domain),
  );
  const domainRecords = domains
    .map((d) => toDomainView(d, elsewhere))
    .sort((a, b) => a.domain.localeCompare(b.domain));
  return {
    id: row.id,
    issuer: row.issuer,
    clientId: row.clientId,
    hasSecret: row.clientSecretEncrypted.length > 0,
    domains: [...row.domains].sort(),
    domainRecords,
    hasVerifiedDomain: domainRecords.some((d) => d.status === "verified"),
    enforced: row.enforced,
    enabled: row.enabled,
    defaultRole: row.defaultRole,
    jitEnabled: row.jitEnabled,
    jitReadmitRemoved: row.jitReadmitRemoved,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

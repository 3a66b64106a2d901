import { and, eq, ne } from "drizzle-orm";
import { getDb, withTenant } from "@/db";
import { ssoDomains } from "@/db/schema";
import { writeAudit } from "@/lib/audit/log";
import { isUniqueViolation } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { txtRecordName, txtRecordValue } from "./domain-record";
import { resolveTxt } from "./resolve-txt";

/**
 * A verified domain whose record is missing stays verified for this many consecutive failed
 * checks (the daily re-check: about three days), so a DNS hiccup or a zone migration does not
 * lock an organization's members out; after that it is unverified.
 */
export const UNVERIFY_AFTER_FAILED_CHECKS = 3;

export const VERIFIED_ELSEWHERE = "This domain is verified by another organization.";

type DomainRow = typeof ssoDomains.$inferSelect;
type Actor = { id: string; email: string } | null;

async function verifiedByAnotherOrg(row: DomainRow): Promise<boolean> {
  // System read: RLS hides other organizations' rows, and this is exactly what must be seen.
  const db = await getDb();
  const [other] = await db
    .select({ id: ssoDomains.id })
    .from(ssoDomains)
    .where(
      and(
        eq(ssoDomains.domain, row.domain),
        eq(ssoDomains.status, "verified"),
        ne(ssoDomains.orgId, row.orgId),
      ),
    )
    .limit(1);
  return Boolean(other);
}

async function update(row: DomainRow, values: Partial<DomainRow>): Promise<DomainRow> {
  const [updated] = await withTenant({ orgId: row.orgId }, (tx) =>
    tx
      .update(ssoDomains)
      .set(values)
      .where(and(eq(ssoDomains.orgId, row.orgId), eq(ssoDomains.id, row.id)))
      .returning(),
  );
  return updated ?? row;
}

async function markVerified(row: DomainRow, actor: Actor, meta?: RequestMeta): Promise<DomainRow> {
  const now = new Date();
  try {
    return await withTenant({ orgId: row.orgId, userId: actor?.id }, async (tx) => {
      const [updated] = await tx
        .update(ssoDomains)
        .set({ status: "verified", verifiedAt: now, lastCheckedAt: now, lastError: null, failedChecks: 0 })
        .where(and(eq(ssoDomains.orgId, row.orgId), eq(ssoDomains.id, row.id)))
        .returning();
      if (!updated) return row;
      await writeAudit(tx, {
        orgId: row.orgId,
        actor,
        action: "sso.domain_verified",
        target: { type: "sso_domain", id: row.id },
        metadata: { domain: row.domain },
        meta,
      });
      return updated;
    });
  } catch (error) {
    // The partial unique index: another organization verified it between our read and write.
    if (!isUniqueViolation(error)) throw error;
    return update(row, { status: "pending", lastCheckedAt: now, lastError: VERIFIED_ELSEWHERE });
  }
}

/**
 * Looks up the domain's `_dafnckmachine` TXT record and records the outcome on its row: verified
 * (unless another organization holds it verified: first to verify wins), failed, or, for a
 * verified domain, one more failed check until the grace runs out. With `checkedBefore`, a row
 * already checked since then is left alone, so a retried cron step counts a failure once.
 */
export async function checkSsoDomain(
  target: { orgId: string; id: string },
  options: { actor?: Actor; meta?: RequestMeta; checkedBefore?: Date } = {},
): Promise<DomainRow | null> {
  const actor = options.actor ?? null;
  const [row] = await withTenant({ orgId: target.orgId }, (tx) =>
    tx
      .select()
      .from(ssoDomains)
      .where(and(eq(ssoDomains.orgId, target.orgId), eq(ssoDomains.id, target.id)))
      .limit(1),
  );
  if (!row) return null;
  if (options.checkedBefore && row.lastCheckedAt && row.lastCheckedAt >= options.checkedBefore) return row;

  const name = txtRecordName(row.domain);
  const expected = txtRecordValue(row.token);
  const lookup = await resolveTxt(name);
  const found = lookup.ok && lookup.records.some((record) => record.trim() === expected);
  const now = new Date();

  if (found) {
    if (row.status === "verified") {
      return update(row, { lastCheckedAt: now, lastError: null, failedChecks: 0 });
    }
    if (await verifiedByAnotherOrg(row)) {
      return update(row, { status: "pending", lastCheckedAt: now, lastError: VERIFIED_ELSEWHERE });
    }
    return markVerified(row, actor, options.meta);
  }

  const error = lookup.ok ? `The TXT record at ${name} does not contain ${expected}.` : lookup.error;
  if (row.status !== "verified") {
    return update(row, { status: "failed", lastCheckedAt: now, lastError: error });
  }
  const failedChecks = row.failedChecks + 1;
  if (failedChecks < UNVERIFY_AFTER_FAILED_CHECKS) {
    return update(row, { lastCheckedAt: now, lastError: error, failedChecks });
  }
  return withTenant({ orgId: row.orgId, userId: actor?.id }, async (tx) => {
    const [updated] = await tx
      .update(ssoDomains)
      .set({ status: "failed", verifiedAt: null, lastCheckedAt: now, lastError: error, failedChecks })
      .where(and(eq(ssoDomains.orgId, row.orgId), eq(ssoDomains.id, row.id)))
      .returning();
    await writeAudit(tx, {
      orgId: row.orgId,
      actor,
      action: "sso.domain_unverified",
      target: { type: "sso_domain", id: row.id },
      metadata: { domain: row.domain, failedChecks, error },
      meta: options.meta,
    });
    return updated ?? row;
  });
}

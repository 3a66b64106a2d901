import { eq } from "drizzle-orm";
import { cron } from "inngest";
import { getDb } from "@/db";
import { ssoDomains } from "@/db/schema";
import { checkSsoDomain } from "@/lib/sso/check-domain";
import { inngest } from "../client";
import { ssoDomainRecheckRequested } from "../events";

/**
 * Daily (and on request): re-checks the TXT record of every verified SSO domain. A domain whose
 * record is gone is unverified after UNVERIFY_AFTER_FAILED_CHECKS consecutive failures (about
 * three days). One step per domain; a retried step finds its domain already checked since this
 * run started and leaves it alone, so a failure is never counted twice.
 */
export const recheckSsoDomains = inngest.createFunction(
  {
    id: "recheck-sso-domains",
    name: "Re-check verified SSO domains",
    retries: 3,
    triggers: [cron("30 4 * * *"), ssoDomainRecheckRequested],
  },
  async ({ step }) => {
    const { startedAt, domains } = await step.run("list-verified-domains", async () => {
      const db = await getDb();
      const rows = await db
        .select({ id: ssoDomains.id, orgId: ssoDomains.orgId })
        .from(ssoDomains)
        .where(eq(ssoDomains.status, "verified"));
      return { startedAt: new Date().toISOString(), domains: rows };
    });
    let unverified = 0;
    for (const domain of domains) {
      const status = await step.run(`check-${domain.id}`, async () => {
        const row = await checkSsoDomain(domain, { checkedBefore: new Date(startedAt) });
        return row?.status ?? "deleted";
      });
      if (status === "failed") unverified++;
    }
    return { checked: domains.length, unverified };
  },
);

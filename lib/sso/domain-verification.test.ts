import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs, ssoDomains } from "@/db/schema";
import { recheckSsoDomains } from "@/inngest/functions/recheck-sso-domains";
import { parseWith } from "@/lib/api/route";
import type { SessionUser } from "@/lib/auth/session";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { startDnsServer, type TestDnsServer, useDnsServer } from "@/tests/support/dns-server";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { startOidcProvider, type TestOidcProvider } from "@/tests/support/oidc-provider";
import { publishAndVerify } from "@/tests/support/sso-domains";
import { checkSsoDomain, UNVERIFY_AFTER_FAILED_CHECKS, VERIFIED_ELSEWHERE } from "./check-domain";
import { getSsoConnection } from "./get-connection";
import { enforcedSsoFor, findSsoRouteForEmail } from "./lookup";
import { ssoConnectionInputSchema } from "./schemas";
import { upsertSsoConnection } from "./upsert-connection";
import { verifySsoDomain } from "./verify-domain";

const meta = { ip: "203.0.113.1", userAgent: "vitest" };
let idp: TestOidcProvider;
let dns: TestDnsServer;

beforeAll(async () => {
  await getDb(); // opens (and migrates) the database within the hook's longer timeout
  // The test IdP is on loopback and plain http.
  setTestEnv({ SSO_ALLOW_INSECURE_ISSUER: "1", ALLOW_PRIVATE_NETWORK_URLS: "1" });
  dns = await startDnsServer();
  useDnsServer(dns);
  idp = await startOidcProvider({
    port: 0,
    clientId: "c",
    clientSecret: "s",
    redirectUris: ["http://localhost/cb"],
  });
});
afterAll(async () => {
  await idp.stop();
  await dns.stop();
  setTestEnv({ SSO_ALLOW_INSECURE_ISSUER: "0", ALLOW_PRIVATE_NETWORK_URLS: undefined });
  useDnsServer(null);
});

const uid = () => Math.random().toString(36).slice(2, 8);
const ctxFor = (user: SessionUser, slug: string) => resolveOrgContext(user, slug, "sso.manage", meta);

async function claim(domains: string[], extra: Record<string, unknown> = {}) {
  const t = await createTeam();
  const ctx = await ctxFor(t.admin, t.org.slug);
  const input = parseWith(ssoConnectionInputSchema, {
    issuer: idp.issuer,
    clientId: "c",
    clientSecret: "s",
    domains,
    ...extra,
  });
  await upsertSsoConnection(ctx, input);
  return { t, ctx, input };
}

async function domainRow(orgId: string, domain: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(ssoDomains)
    .where(and(eq(ssoDomains.orgId, orgId), eq(ssoDomains.domain, domain)));
  if (!row) throw new Error("no domain row");
  return row;
}

async function audits(orgId: string, action: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.orgId, orgId), eq(auditLogs.action, action)));
}

describe("SSO domain verification over real DNS (dns2)", () => {
  it("a new claim is pending with a random per-org token, and routes and enforces nothing", async () => {
    const domain = `pending-${uid()}.test`;
    const { ctx } = await claim([domain]);
    const view = await getSsoConnection(ctx);
    const record = view?.domainRecords[0];
    expect(record).toMatchObject({ domain, status: "pending", recordName: `_dafnckmachine.${domain}` });
    expect(record?.recordValue).toMatch(/^dafnckmachine-verification=[A-Za-z0-9_-]{43}$/);
    expect(view?.hasVerifiedDomain).toBe(false);
    expect(await findSsoRouteForEmail(`x@${domain}`)).toBeNull();
    // A second organization claiming the same domain gets a different token.
    const other = await claim([domain]);
    const otherRecord = (await getSsoConnection(other.ctx))?.domainRecords[0];
    expect(otherRecord?.recordValue).not.toBe(record?.recordValue);
  });

  it("TXT record present → verified (audited); then the domain routes", async () => {
    const domain = `good-${uid()}.test`;
    const { t, ctx } = await claim([domain]);
    const view = await publishAndVerify(dns, ctx, domain);
    expect(view).toMatchObject({ status: "verified", lastError: null });
    expect(view.verifiedAt).not.toBeNull();
    expect(view.lastCheckedAt).not.toBeNull();
    expect(await findSsoRouteForEmail(`someone@${domain}`)).toMatchObject({ orgId: t.org.id });
    const [entry] = await audits(t.org.id, "sso.domain_verified");
    expect(entry).toMatchObject({ actorId: t.admin.id, metadata: { domain } });
  });

  it("wrong token → failed with the reason; no record → failed; neither routes", async () => {
    const wrong = `wrong-${uid()}.test`;
    const missing = `missing-${uid()}.test`;
    const { ctx } = await claim([wrong, missing]);
    dns.setTxt(`_dafnckmachine.${wrong}`, "dafnckmachine-verification=not-the-token", "v=spf1 -all");
    const failed = await verifySsoDomain(ctx, { domain: wrong });
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/does not contain dafnckmachine-verification=/);
    const absent = await verifySsoDomain(ctx, { domain: missing });
    expect(absent).toMatchObject({
      status: "failed",
      lastError: `No TXT record found at _dafnckmachine.${missing}.`,
    });
    expect(await findSsoRouteForEmail(`x@${wrong}`)).toBeNull();
    expect(await findSsoRouteForEmail(`x@${missing}`)).toBeNull();
  });

  it("pending claims do not block the real owner; the first to verify wins, others see it", async () => {
    const domain = `contested-${uid()}.test`;
    const squatter = await claim([domain]);
    const owner = await claim([domain]);
    expect((await publishAndVerify(dns, owner.ctx, domain)).status).toBe("verified");

    // The squatter's claim now shows as taken, even if they copy a valid-looking record.
    const squatterView = await getSsoConnection(squatter.ctx);
    expect(squatterView?.domainRecords[0]?.status).toBe("verified_elsewhere");
    const attempt = await publishAndVerify(dns, squatter.ctx, domain);
    expect(attempt).toMatchObject({ status: "verified_elsewhere", lastError: VERIFIED_ELSEWHERE });
    expect(await findSsoRouteForEmail(`x@${domain}`)).toMatchObject({ orgId: owner.t.org.id });

    // A new claim of a domain someone verified is refused with a field error.
    const late = await createTeam();
    const error = await upsertSsoConnection(
      await ctxFor(late.admin, late.org.slug),
      parseWith(ssoConnectionInputSchema, {
        issuer: idp.issuer,
        clientId: "c",
        clientSecret: "s",
        domains: [domain],
      }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(409);
    expect(error.fieldErrors.domains).toEqual([`${domain}: ${VERIFIED_ELSEWHERE}`]);
  });

  it("the database itself allows one verified holder per domain (partial unique index)", async () => {
    const domain = `unique-${uid()}.test`;
    const a = await claim([domain]);
    const b = await claim([domain]);
    await publishAndVerify(dns, a.ctx, domain);
    const db = await getDb();
    const error = await db
      .update(ssoDomains)
      .set({ status: "verified" })
      .where(and(eq(ssoDomains.orgId, b.t.org.id), eq(ssoDomains.domain, domain)))
      .catch((e) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("Require SSO is refused until a domain is verified, and then enforces only verified domains", async () => {
    const domain = `enforce-${uid()}.test`;
    const { t, ctx, input } = await claim([domain]);
    const refused = await upsertSsoConnection(ctx, { ...input, enforced: true }).catch((e) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.status).toBe(422);
    expect(refused.fieldErrors.enforced[0]).toMatch(/Verify a domain first/);
    await publishAndVerify(dns, ctx, domain);
    const later = `later-${uid()}.test`;
    await upsertSsoConnection(ctx, { ...input, domains: [domain, later], enforced: true });
    expect(await enforcedSsoFor(`x@${domain}`)).toMatchObject({ orgId: t.org.id });
    expect(await enforcedSsoFor(`x@${later}`)).toBeNull();
  });

  it("the daily re-check unverifies a domain whose record is gone, after the grace; each step counts once", async () => {
    const domain = `recheck-${uid()}.test`;
    const { t, ctx } = await claim([domain]);
    await publishAndVerify(dns, ctx, domain);
    const row = await domainRow(t.org.id, domain);
    dns.setTxt(`_dafnckmachine.${domain}`);

    const runCron = () => new InngestTestEngine({ function: recheckSsoDomains }).execute();
    for (let check = 1; check < UNVERIFY_AFTER_FAILED_CHECKS; check++) {
      await runCron();
      const during = await domainRow(t.org.id, domain);
      expect(during).toMatchObject({ status: "verified", failedChecks: check });
      expect(during.lastError).toMatch(/No TXT record found/);
      expect(await findSsoRouteForEmail(`x@${domain}`)).not.toBeNull();
    }
    // A retried step (same run start) does not count the failure again.
    const startedAt = new Date(Date.now() - 60_000);
    await checkSsoDomain({ orgId: t.org.id, id: row.id }, { checkedBefore: startedAt });
    expect((await domainRow(t.org.id, domain)).failedChecks).toBe(UNVERIFY_AFTER_FAILED_CHECKS - 1);

    const { result } = await runCron();
    expect(result).toMatchObject({ unverified: expect.any(Number) });
    const after = await domainRow(t.org.id, domain);
    expect(after).toMatchObject({
      status: "failed",
      verifiedAt: null,
      failedChecks: UNVERIFY_AFTER_FAILED_CHECKS,
    });
    expect(await findSsoRouteForEmail(`x@${domain}`)).toBeNull();
    const [entry] = await audits(t.org.id, "sso.domain_unverified");
    expect(entry).toMatchObject({ actorId: null, metadata: { domain } });
  });

  it("a record that comes back within the grace resets the count", async () => {
    const domain = `flaky-${uid()}.test`;
    const { t, ctx } = await claim([domain]);
    const view = await publishAndVerify(dns, ctx, domain);
    dns.setTxt(view.recordName);
    await verifySsoDomain(ctx, { domain });
    expect((await domainRow(t.org.id, domain)).failedChecks).toBe(1);
    dns.setTxt(view.recordName, view.recordValue);
    await verifySsoDomain(ctx, { domain });
    expect(await domainRow(t.org.id, domain)).toMatchObject({
      status: "verified",
      failedChecks: 0,
      lastError: null,
    });
  });
});

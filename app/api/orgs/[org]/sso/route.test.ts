import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { ssoConnections, ssoDomains } from "@/db/schema";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";
import { startDnsServer, type TestDnsServer, useDnsServer } from "@/tests/support/dns-server";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { startOidcProvider, type TestOidcProvider } from "@/tests/support/oidc-provider";
import { auditCount, errorOf, jsonRequest, routeArgs, rowCount } from "@/tests/support/org-helpers";
import { INTERNAL_URLS, METADATA_URL, startRedirectServer } from "@/tests/support/redirect-server";
import { actAs } from "@/tests/support/session";
import { DELETE, GET, PUT } from "./route";
import { POST as VERIFY } from "./verify/route";

const SECRET = "route-test-client-secret";
let idp: TestOidcProvider;
let dns: TestDnsServer;

beforeAll(async () => {
  await getDb(); // opens (and migrates) the database within the hook's longer timeout
  process.env.SSO_ALLOW_INSECURE_ISSUER = "1";
  // The test IdP listens on loopback.
  process.env.ALLOW_PRIVATE_NETWORK_URLS = "1";
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
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
  useDnsServer(null);
  process.env.SSO_ALLOW_INSECURE_ISSUER = "0";
  delete process.env.ALLOW_PRIVATE_NETWORK_URLS;
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
});

const url = (org: string) => `/api/orgs/${org}/sso`;
const body = (domain: string) => ({
  issuer: idp.issuer,
  clientId: "dm",
  clientSecret: SECRET,
  domains: [domain],
});
const uniqueDomain = () => `route-${Math.random().toString(36).slice(2, 8)}.test`;

async function put(org: string, payload: unknown) {
  return PUT(jsonRequest(url(org), "PUT", payload), routeArgs({ org }));
}

async function verify(org: string, payload: unknown) {
  return VERIFY(jsonRequest(`${url(org)}/verify`, "POST", payload), routeArgs({ org }));
}

/** Publishes the TXT record the API shows for `domain`, then asks the API to verify it. */
async function publishAndVerify(org: string, domain: string) {
  const read = await GET(jsonRequest(url(org), "GET"), routeArgs({ org }));
  const { connection } = await read.json();
  const record = connection.domainRecords.find((d: { domain: string }) => d.domain === domain);
  dns.setTxt(record.recordName, record.recordValue);
  return verify(org, { domain });
}

describe("/api/orgs/[org]/sso", () => {
  it("lets an admin create, read, update and delete the connection without ever returning the secret", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const empty = await GET(jsonRequest(url(t.org.slug), "GET"), routeArgs({ org: t.org.slug }));
    expect(await empty.json()).toEqual({ connection: null, redirectUri: null });

    const domain = uniqueDomain();
    // "Require SSO" needs a verified domain: refused on create.
    const early = await put(t.org.slug, { ...body(domain), enforced: true });
    expect(early.status).toBe(422);
    expect((await errorOf(early)).fieldErrors?.enforced?.[0]).toMatch(/Verify a domain first/);

    const created = await put(t.org.slug, { ...body(domain), defaultRole: "viewer" });
    expect(created.status).toBe(200);
    const text = await created.text();
    expect(text).not.toContain(SECRET);
    const { connection, redirectUri } = JSON.parse(text);
    expect(connection).toMatchObject({
      hasSecret: true,
      domains: [domain],
      domainRecords: [{ domain, status: "pending", recordName: `_dafnckmachine.${domain}` }],
      hasVerifiedDomain: false,
      enforced: false,
      defaultRole: "viewer",
    });
    expect(redirectUri).toBe(`http://localhost/api/auth/callback/sso-${connection.id}`);
    expect(await auditCount(t.org.id, "sso.create")).toBe(1);

    const read = await GET(jsonRequest(url(t.org.slug), "GET"), routeArgs({ org: t.org.slug }));
    expect(await read.text()).not.toContain(SECRET);

    const verified = await publishAndVerify(t.org.slug, domain);
    expect(verified.status).toBe(200);
    expect((await verified.json()).domain).toMatchObject({ domain, status: "verified", lastError: null });
    expect(await auditCount(t.org.id, "sso.domain_verified")).toBe(1);

    const updated = await put(t.org.slug, {
      ...body(domain),
      clientSecret: "",
      clientId: "dm-2",
      enforced: true,
    });
    expect(updated.status).toBe(200);
    expect((await updated.json()).connection).toMatchObject({
      clientId: "dm-2",
      hasSecret: true,
      enforced: true,
      hasVerifiedDomain: true,
    });
    expect(await auditCount(t.org.id, "sso.update")).toBe(1);

    const deleted = await DELETE(jsonRequest(url(t.org.slug), "DELETE"), routeArgs({ org: t.org.slug }));
    expect(deleted.status).toBe(204);
    expect(await rowCount(ssoConnections, eq(ssoConnections.orgId, t.org.id))).toBe(0);
    expect(await auditCount(t.org.id, "sso.delete")).toBe(1);
    const again = await DELETE(jsonRequest(url(t.org.slug), "DELETE"), routeArgs({ org: t.org.slug }));
    expect(again.status).toBe(404);
  });

  it("answers 404 to a user of another organization, for every method, and writes nothing", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    const args = routeArgs({ org: t.org.slug });
    expect((await GET(jsonRequest(url(t.org.slug), "GET"), args)).status).toBe(404);
    expect((await put(t.org.slug, body(uniqueDomain()))).status).toBe(404);
    expect((await DELETE(jsonRequest(url(t.org.slug), "DELETE"), args)).status).toBe(404);
    expect((await verify(t.org.slug, { domain: uniqueDomain() })).status).toBe(404);
    expect(await rowCount(ssoConnections, eq(ssoConnections.orgId, t.org.id))).toBe(0);
  });

  it("answers 403 to members and viewers (no sso.manage), for every method", async () => {
    const t = await createTeam();
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      const args = routeArgs({ org: t.org.slug });
      expect((await GET(jsonRequest(url(t.org.slug), "GET"), args)).status).toBe(403);
      expect((await put(t.org.slug, body(uniqueDomain()))).status).toBe(403);
      expect((await DELETE(jsonRequest(url(t.org.slug), "DELETE"), args)).status).toBe(403);
      expect((await verify(t.org.slug, { domain: uniqueDomain() })).status).toBe(403);
    }
    expect(await rowCount(ssoConnections, eq(ssoConnections.orgId, t.org.id))).toBe(0);
  });

  it("answers 401 when signed out", async () => {
    const t = await createTeam();
    actAs(null);
    expect((await GET(jsonRequest(url(t.org.slug), "GET"), routeArgs({ org: t.org.slug }))).status).toBe(401);
  });

  it("rejects bad input with clear 4xx and field messages, writing nothing", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const malformed = await PUT(
      new Request(`http://localhost${url(t.org.slug)}`, {
        method: "PUT",
        headers: { "content-type": "application/json", origin: "http://localhost" },
        body: "{not json",
      }),
      routeArgs({ org: t.org.slug }),
    );
    expect(malformed.status).toBe(400);

    const notJson = await PUT(
      new Request(`http://localhost${url(t.org.slug)}`, {
        method: "PUT",
        headers: { origin: "http://localhost" },
        body: "issuer=x",
      }),
      routeArgs({ org: t.org.slug }),
    );
    expect(notJson.status).toBe(415);

    const oversized = await put(t.org.slug, { ...body(uniqueDomain()), clientId: "x".repeat(70_000) });
    expect(oversized.status).toBe(413);

    const wrongTypes = await put(t.org.slug, {
      issuer: 42,
      clientId: ["x"],
      domains: "gmail.com",
      enforced: "maybe",
    });
    expect(wrongTypes.status).toBe(422);
    const error = await errorOf(wrongTypes);
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual([
      "clientId",
      "domains",
      "enforced",
      "issuer",
    ]);
    expect(error.fieldErrors?.domains?.[0]).toMatch(/public email domain/);

    const unreachable = await put(t.org.slug, { ...body(uniqueDomain()), issuer: "http://127.0.0.1:1" });
    expect(unreachable.status).toBe(422);
    expect((await errorOf(unreachable)).fieldErrors?.issuer).toEqual([UNREACHABLE_MESSAGE]);

    const aboveOwnRole = await put(t.org.slug, { ...body(uniqueDomain()), defaultRole: "owner" });
    expect(aboveOwnRole.status).toBe(403);

    expect(await rowCount(ssoConnections, eq(ssoConnections.orgId, t.org.id))).toBe(0);
    expect(await rowCount(ssoDomains, eq(ssoDomains.orgId, t.org.id))).toBe(0);
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("lets several organizations claim a domain, and answers 409 once one of them verified it", async () => {
    const a = await createTeam();
    const b = await createTeam();
    const c = await createTeam();
    const domain = uniqueDomain();
    actAs(a.admin);
    expect((await put(a.org.slug, body(domain))).status).toBe(200);
    // A pending claim does not block anyone: b may claim it too, and b verifies first.
    actAs(b.owner);
    expect((await put(b.org.slug, body(domain))).status).toBe(200);
    expect((await (await publishAndVerify(b.org.slug, domain)).json()).domain.status).toBe("verified");
    actAs(a.admin);
    const read = await (
      await GET(jsonRequest(url(a.org.slug), "GET"), routeArgs({ org: a.org.slug }))
    ).json();
    expect(read.connection.domainRecords[0].status).toBe("verified_elsewhere");

    actAs(c.owner);
    const res = await put(c.org.slug, body(domain));
    expect(res.status).toBe(409);
    expect((await errorOf(res)).fieldErrors?.domains).toEqual([
      `${domain}: This domain is verified by another organization.`,
    ]);
    expect(await rowCount(ssoConnections, eq(ssoConnections.orgId, c.org.id))).toBe(0);
  });

  it("validates the domain to verify and answers 404 for one the organization did not claim", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const bad = await verify(t.org.slug, { domain: "not a domain" });
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).fieldErrors?.domain?.[0]).toMatch(/Enter a domain/);
    expect((await verify(t.org.slug, {})).status).toBe(422);
    expect((await verify(t.org.slug, { domain: uniqueDomain() })).status).toBe(404);
  });

  it("refuses internal issuers and redirects into internal addresses with one message, saving nothing", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const redirect = await startRedirectServer(METADATA_URL);
    const refused: [string, string][] = INTERNAL_URLS.map((u) => [u, "0"]);
    // With loopback allowed (as for the test IdP), the redirect's target is still refused.
    refused.push([redirect.url, "1"]);
    try {
      for (const [issuer, allowPrivate] of refused) {
        setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: allowPrivate });
        const res = await put(t.org.slug, { ...body(uniqueDomain()), issuer });
        expect(res.status, issuer).toBe(422);
        const text = await res.text();
        expect(JSON.parse(text).error.fieldErrors).toEqual({ issuer: [UNREACHABLE_MESSAGE] });
        expect(text).not.toMatch(/ECONNREFUSED|5432|169\.254|127\.0\.0\.1|::1|answered/);
      }
    } finally {
      setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
      await redirect.stop();
    }
    expect(await rowCount(ssoConnections, eq(ssoConnections.orgId, t.org.id))).toBe(0);
    expect(await rowCount(ssoDomains, eq(ssoDomains.orgId, t.org.id))).toBe(0);
    expect(await auditCount(t.org.id)).toBe(0);
  });
});

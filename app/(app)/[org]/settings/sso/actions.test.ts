import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { ssoConnections } from "@/db/schema";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { startOidcProvider, type TestOidcProvider } from "@/tests/support/oidc-provider";
import { auditCount, rowCount } from "@/tests/support/org-helpers";
import { INTERNAL_URLS, METADATA_URL, startRedirectServer } from "@/tests/support/redirect-server";
import { actAs } from "@/tests/support/session";
import {
  deleteSsoConnectionAction,
  saveSsoConnectionAction,
  testSsoSignInAction,
  verifySsoDomainAction,
} from "./actions";

const SECRET = "action-test-client-secret";
let idp: TestOidcProvider;

beforeAll(async () => {
  await getDb(); // opens (and migrates) the database within the hook's longer timeout
  process.env.SSO_ALLOW_INSECURE_ISSUER = "1";
  // The test IdP listens on loopback.
  process.env.ALLOW_PRIVATE_NETWORK_URLS = "1";
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
  idp = await startOidcProvider({
    port: 0,
    clientId: "c",
    clientSecret: "s",
    redirectUris: ["http://localhost/cb"],
  });
});
afterAll(async () => {
  await idp.stop();
  process.env.SSO_ALLOW_INSECURE_ISSUER = "0";
  delete process.env.ALLOW_PRIVATE_NETWORK_URLS;
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
});

const uniqueDomain = () => `action-${Math.random().toString(36).slice(2, 8)}.test`;
const input = () => ({ issuer: idp.issuer, clientId: "dm", clientSecret: SECRET, domains: uniqueDomain() });
const connections = (orgId: string) => rowCount(ssoConnections, eq(ssoConnections.orgId, orgId));

describe("SSO settings actions", () => {
  it("saves (from form data) and deletes for an admin, audited, never returning the secret", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const form = new FormData();
    for (const [k, v] of Object.entries({
      ...input(),
      enabled: "on",
      defaultRole: "member",
    })) {
      form.set(k, v);
    }
    const saved = await saveSsoConnectionAction(t.org.slug, form);
    expect(saved.ok).toBe(true);
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    expect(saved.ok && saved.data).toMatchObject({ hasSecret: true, enforced: false, enabled: true });
    expect(await auditCount(t.org.id, "sso.create")).toBe(1);

    const deleted = await deleteSsoConnectionAction(t.org.slug, {});
    expect(deleted.ok).toBe(true);
    expect(await connections(t.org.id)).toBe(0);
    expect(await auditCount(t.org.id, "sso.delete")).toBe(1);
  });

  it("answers not_found to a user of another organization", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    expect(await saveSsoConnectionAction(t.org.slug, input())).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await deleteSsoConnectionAction(t.org.slug, {})).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    for (const result of [
      await verifySsoDomainAction(t.org.slug, { domain: uniqueDomain() }),
      await testSsoSignInAction(t.org.slug, {}),
    ]) {
      expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    expect(await connections(t.org.id)).toBe(0);
  });

  it("answers forbidden to members and viewers", async () => {
    const t = await createTeam();
    actAs(t.owner);
    expect((await saveSsoConnectionAction(t.org.slug, input())).ok).toBe(true);
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect(await saveSsoConnectionAction(t.org.slug, input())).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
      expect(await deleteSsoConnectionAction(t.org.slug, {})).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
      for (const result of [
        await verifySsoDomainAction(t.org.slug, { domain: uniqueDomain() }),
        await testSsoSignInAction(t.org.slug, {}),
      ]) {
        expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
      }
    }
    expect(await connections(t.org.id)).toBe(1);
    expect(await auditCount(t.org.id)).toBe(1);
  });

  it("returns field errors for bad input and writes nothing", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const result = await saveSsoConnectionAction(t.org.slug, {
      issuer: "not a url",
      clientId: "",
      domains: "gmail.com",
      enforced: true,
      enabled: false,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation");
    expect(Object.keys(result.error.fieldErrors ?? {}).sort()).toEqual([
      "clientId",
      "domains",
      "enforced",
      "issuer",
    ]);
    const aboveOwnRole = await saveSsoConnectionAction(t.org.slug, { ...input(), defaultRole: "owner" });
    expect(aboveOwnRole).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await connections(t.org.id)).toBe(0);
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("refuses internal issuers and redirects into internal addresses, writing nothing", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const redirect = await startRedirectServer(METADATA_URL);
    const refused: [string, string][] = [
      ...INTERNAL_URLS.map((u): [string, string] => [u, "0"]),
      [redirect.url, "1"],
    ];
    try {
      for (const [issuer, allowPrivate] of refused) {
        setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: allowPrivate });
        const result = await saveSsoConnectionAction(t.org.slug, { ...input(), issuer });
        expect(result, issuer).toMatchObject({
          ok: false,
          error: { code: "validation", fieldErrors: { issuer: [UNREACHABLE_MESSAGE] } },
        });
      }
    } finally {
      setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
      await redirect.stop();
    }
    expect(await connections(t.org.id)).toBe(0);
    expect(await auditCount(t.org.id)).toBe(0);
  });
});

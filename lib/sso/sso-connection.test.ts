import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs, ssoConnections, ssoDomains } from "@/db/schema";
import { parseWith } from "@/lib/api/route";
import type { SessionUser } from "@/lib/auth/session";
import { decryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";
import { resolveOrgContext } from "@/lib/orgs/context";
import { startDnsServer, type TestDnsServer, useDnsServer } from "@/tests/support/dns-server";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { startOidcProvider, type TestOidcProvider } from "@/tests/support/oidc-provider";
import { publishAndVerify } from "@/tests/support/sso-domains";
import { deleteSsoConnection } from "./delete-connection";
import { getSsoConnection } from "./get-connection";
import { findSsoRouteForEmail } from "./lookup";
import { ssoConnectionInputSchema } from "./schemas";
import { upsertSsoConnection } from "./upsert-connection";

const meta = { ip: "203.0.113.1", userAgent: "vitest" };
const SECRET = "s3cret-value-from-the-idp";
let idp: TestOidcProvider;
let dns: TestDnsServer;
let fake: Server;
let fakeUrl: string;

// The test IdP listens on loopback: an http:// issuer on a private address, both allowed here.
function allowInsecureIssuers(allow: boolean) {
  setTestEnv({
    SSO_ALLOW_INSECURE_ISSUER: allow ? "1" : "0",
    ALLOW_PRIVATE_NETWORK_URLS: allow ? "1" : undefined,
  });
}

beforeAll(async () => {
  await getDb(); // opens (and migrates) the database within the hook's longer timeout
  dns = await startDnsServer();
  useDnsServer(dns);
  allowInsecureIssuers(true);
  idp = await startOidcProvider({
    port: 0,
    clientId: "c",
    clientSecret: "s",
    redirectUris: ["http://localhost/cb"],
  });
  // Serves a discovery document that names a different issuer, and 404 elsewhere.
  fake = createServer((req, res) => {
    if (req.url === "/liar/.well-known/openid-configuration") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer: "https://someone-else.example", authorization_endpoint: "x" }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await idp.stop();
  await dns.stop();
  useDnsServer(null);
  await new Promise((r) => fake.close(r));
  allowInsecureIssuers(false);
});

const ctxFor = (user: SessionUser, slug: string) => resolveOrgContext(user, slug, "sso.manage", meta);
const uid = () => Math.random().toString(36).slice(2, 8);

function input(overrides: Record<string, unknown> = {}) {
  return parseWith(ssoConnectionInputSchema, {
    issuer: idp.issuer,
    clientId: "dafnck-client",
    clientSecret: SECRET,
    domains: [`acme-${uid()}.test`],
    ...overrides,
  });
}

async function connectionRows(orgId: string) {
  const db = await getDb();
  return db.select().from(ssoConnections).where(eq(ssoConnections.orgId, orgId));
}

describe("SSO connection verbs", () => {
  it("creates a connection with the secret encrypted at rest and never returned", async () => {
    const t = await createTeam();
    const ctx = await ctxFor(t.admin, t.org.slug);
    const id = uid();
    const data = input({ domains: `Acme-One-${id}.test, @acme-two-${id}.test` });
    const view = await upsertSsoConnection(ctx, data);

    expect(view).toMatchObject({
      issuer: idp.issuer,
      clientId: "dafnck-client",
      hasSecret: true,
      domains: [`acme-one-${id}.test`, `acme-two-${id}.test`],
      enforced: false,
      enabled: true,
      defaultRole: "member",
    });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(Object.keys(view)).not.toContain("clientSecretEncrypted");
    expect(JSON.stringify(await getSsoConnection(ctx))).not.toContain(SECRET);

    const [row] = await connectionRows(t.org.id);
    if (!row) throw new Error("no connection row");
    expect(row.clientSecretEncrypted).not.toContain(SECRET);
    expect(decryptSecret(row.clientSecretEncrypted)).toBe(SECRET);

    const db = await getDb();
    const domains = await db.select().from(ssoDomains).where(eq(ssoDomains.orgId, t.org.id));
    expect(domains.map((d) => d.domain).sort()).toEqual([`acme-one-${id}.test`, `acme-two-${id}.test`]);
    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "sso.create")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: t.admin.id, targetId: view.id, ip: "203.0.113.1" });
    expect(JSON.stringify(audit[0]?.metadata)).not.toContain(SECRET);
    // Claimed, not verified: the domains route no one yet.
    expect(await findSsoRouteForEmail(`someone@ACME-two-${id}.test`)).toBeNull();
    await publishAndVerify(dns, ctx, `acme-two-${id}.test`);
    expect(await findSsoRouteForEmail(`someone@ACME-two-${id}.test`)).toMatchObject({
      connectionId: view.id,
      orgSlug: t.org.slug,
    });
  });

  it("keeps the stored secret when the update leaves it blank, and moves domains", async () => {
    const t = await createTeam();
    const ctx = await ctxFor(t.owner, t.org.slug);
    const first = await upsertSsoConnection(
      ctx,
      input({ domains: ["keep.test", "drop.test"].map((d) => `${uid()}${d}`) }),
    );
    const [before] = await connectionRows(t.org.id);
    const kept = first.domains.find((d) => d.endsWith("keep.test")) ?? "";
    const updated = await upsertSsoConnection(
      ctx,
      input({ clientSecret: "", clientId: "renamed", domains: [kept, `new-${uid()}.test`] }),
    );
    expect(updated.id).toBe(first.id);
    const [after] = await connectionRows(t.org.id);
    expect(after?.clientSecretEncrypted).toBe(before?.clientSecretEncrypted);
    expect(after?.clientId).toBe("renamed");
    expect(await findSsoRouteForEmail(`x@${first.domains.find((d) => d.endsWith("drop.test"))}`)).toBeNull();
    const db = await getDb();
    const [audit] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "sso.update")));
    expect(audit?.metadata).toMatchObject({ secretChanged: false, clientId: "renamed" });
  });

  it("requires a secret when creating", async () => {
    const t = await createTeam();
    const error = await upsertSsoConnection(
      await ctxFor(t.admin, t.org.slug),
      input({ clientSecret: "" }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(422);
    expect(error.fieldErrors.clientSecret).toHaveLength(1);
    expect(await connectionRows(t.org.id)).toHaveLength(0);
  });

  it("refuses a domain another organization verified (409 naming it), writing nothing", async () => {
    const a = await createTeam();
    const b = await createTeam();
    const domain = `shared-${uid()}.test`;
    const aCtx = await ctxFor(a.admin, a.org.slug);
    await upsertSsoConnection(aCtx, input({ domains: [domain] }));
    await publishAndVerify(dns, aCtx, domain);
    const error = await upsertSsoConnection(
      await ctxFor(b.admin, b.org.slug),
      input({ domains: [`mine-${uid()}.test`, domain] }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(409);
    expect(error.fieldErrors.domains).toEqual([
      `${domain}: This domain is verified by another organization.`,
    ]);
    expect(await connectionRows(b.org.id)).toHaveLength(0);
    expect(await findSsoRouteForEmail(`x@${domain}`)).toMatchObject({ orgId: a.org.id });
  });

  it("refuses public mail domains and malformed ones with field messages", () => {
    const result = ssoConnectionInputSchema.safeParse({
      issuer: "https://idp.example.com",
      clientId: "x",
      domains: ["gmail.com", "not a domain", "Outlook.com"],
    });
    expect(result.success).toBe(false);
    const messages = (result.error?.issues ?? [])
      .filter((i) => i.path[0] === "domains")
      .map((i) => i.message);
    expect(messages).toEqual([
      "gmail.com is a public email domain; use a domain your organization owns.",
      '"not a domain" is not a valid domain (like example.com).',
      "outlook.com is a public email domain; use a domain your organization owns.",
    ]);
    expect(
      ssoConnectionInputSchema.safeParse({ issuer: "x", clientId: "", domains: [] }).error?.issues.length,
    ).toBe(3);
  });

  it("refuses a default role above the admin's own (403), writing nothing", async () => {
    const t = await createTeam();
    const error = await upsertSsoConnection(
      await ctxFor(t.admin, t.org.slug),
      input({ defaultRole: "owner" }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(403);
    expect(error.fieldErrors.defaultRole).toHaveLength(1);
    expect(await connectionRows(t.org.id)).toHaveLength(0);
    // An owner may choose any role.
    await expect(
      upsertSsoConnection(await ctxFor(t.owner, t.org.slug), input({ defaultRole: "owner" })),
    ).resolves.toMatchObject({ defaultRole: "owner" });
  });

  it("verifies the issuer's discovery document on save", async () => {
    const t = await createTeam();
    const ctx = await ctxFor(t.admin, t.org.slug);
    // A private server (allowed here) gets the one message whatever it answers (lib/sso/discovery.test.ts
    // covers the hints a public IdP gets).
    for (const issuer of [`${fakeUrl}/missing`, `${fakeUrl}/liar`, "http://127.0.0.1:1"]) {
      const error = await upsertSsoConnection(ctx, input({ issuer })).catch((e) => e);
      expect(error, issuer).toBeInstanceOf(AppError);
      expect(error.status).toBe(422);
      expect(error.fieldErrors.issuer).toEqual([UNREACHABLE_MESSAGE]);
    }
    allowInsecureIssuers(false);
    try {
      const error = await upsertSsoConnection(ctx, input()).catch((e) => e);
      expect(error.fieldErrors.issuer[0]).toBe("The issuer must use https://.");
    } finally {
      allowInsecureIssuers(true);
    }
    expect(await connectionRows(t.org.id)).toHaveLength(0);
  });

  it("deletes the connection and frees its domains, audited; a second delete is 404", async () => {
    const t = await createTeam();
    const ctx = await ctxFor(t.admin, t.org.slug);
    const view = await upsertSsoConnection(ctx, input());
    await publishAndVerify(dns, ctx, view.domains[0] ?? "");
    expect(await findSsoRouteForEmail(`x@${view.domains[0]}`)).not.toBeNull();
    await deleteSsoConnection(ctx);
    expect(await connectionRows(t.org.id)).toHaveLength(0);
    expect(await findSsoRouteForEmail(`x@${view.domains[0]}`)).toBeNull();
    const db = await getDb();
    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "sso.delete")));
    expect(audit).toHaveLength(1);
    await expect(deleteSsoConnection(ctx)).rejects.toMatchObject({ status: 404 });
  });
});

import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Account, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { ssoConnections, ssoDomains, userSessions } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import { createTeam, createUser } from "@/tests/support/factories";
import { buildAuthConfig } from "./config";
import { createUserSession } from "./sessions";

const meta = { ip: null, userAgent: "vitest" };

async function callbacks() {
  const config = await buildAuthConfig();
  const { jwt, signIn } = config.callbacks ?? {};
  if (!jwt || !signIn) throw new Error("callbacks missing");
  return {
    // Outside sign-in Auth.js calls jwt() with the decoded token only.
    check: (token: JWT) => jwt({ token } as Parameters<typeof jwt>[0]),
    signIn: (email: string, provider: string) =>
      signIn({
        user: { email } as User,
        account: { provider, type: "oauth", providerAccountId: "1" } as Account,
        profile: { email },
      }),
  };
}

describe("jwt callback: the session row decides on every request", () => {
  it("keeps a token whose session row is live", async () => {
    const user = await createUser();
    const sid = await createUserSession({ userId: user.id, provider: "credentials", meta });
    const { check } = await callbacks();
    expect(await check({ sub: user.id, sid })).toMatchObject({ sub: user.id, sid });
  });

  it("ends the session when the row is revoked, expired, missing or belongs to someone else", async () => {
    const user = await createUser();
    const other = await createUser();
    const { check } = await callbacks();
    const db = await getDb();

    const revoked = await createUserSession({ userId: user.id, provider: "credentials", meta });
    await db.update(userSessions).set({ revokedAt: new Date() }).where(eq(userSessions.id, revoked));
    expect(await check({ sub: user.id, sid: revoked })).toBeNull();

    const expired = await createUserSession({ userId: user.id, provider: "credentials", meta });
    await db
      .update(userSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(userSessions.id, expired));
    expect(await check({ sub: user.id, sid: expired })).toBeNull();

    expect(await check({ sub: user.id, sid: "no-such-session" })).toBeNull();
    expect(await check({ sub: user.id })).toBeNull();
    const theirs = await createUserSession({ userId: other.id, provider: "credentials", meta });
    expect(await check({ sub: user.id, sid: theirs })).toBeNull();
  });
});

describe("signIn callback", () => {
  it("refuses OAuth sign-in for an email whose organization enforces SSO", async () => {
    const t = await createTeam();
    const db = await getDb();
    const domain = `enforced-${randomUUID().slice(0, 8)}.test`;
    const [connection] = await db
      .insert(ssoConnections)
      .values({
        orgId: t.org.id,
        issuer: "https://idp.example.com",
        clientId: "x",
        clientSecretEncrypted: encryptSecret("y"),
        domains: [domain],
        enforced: true,
      })
      .returning();
    if (!connection) throw new Error("no connection");
    // Fixture: a domain its organization verified (verification itself: lib/sso/domain-verification.test.ts).
    const claim = { domain, orgId: t.org.id, connectionId: connection.id };
    await db.insert(ssoDomains).values({ ...claim, status: "verified", verifiedAt: new Date() });
    const { signIn } = await callbacks();
    expect(await signIn(`pat@${domain}`, "github")).toBe(
      `/sign-in?error=SsoRequired&email=${encodeURIComponent(`pat@${domain}`)}`,
    );
    expect(await signIn("pat@elsewhere.test", "github")).toBe(true);
  });

  it("refuses an SSO provider this request did not load", async () => {
    const { signIn } = await callbacks();
    expect(await signIn("pat@example.test", `sso-${randomUUID()}`)).toBe("/sign-in?error=SsoUnavailable");
  });
});

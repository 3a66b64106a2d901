import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { accounts, users } from "@/db/schema";
import { emailDomain } from "./domains";
import type { SsoClientConnection } from "./lookup";

/** What the settings page shows after an admin's "Test sign-in" (no one is signed in). */
export function ssoTestResultPath(orgSlug: string, email: string): string {
  return `/${orgSlug}/settings/sso?${new URLSearchParams({ test: "unverified", email })}`;
}

export type SsoSignInVerdict =
  | { ok: true }
  | { ok: false; error: "SsoDomain" | "SsoUnverifiedAccount" }
  | { ok: false; redirect: string };

/**
 * Decides an SSO sign-in before Auth.js creates or links any user. The IdP's word about an email
 * counts only for a domain its organization proved it owns; until then the round trip is a test
 * whose result goes to the settings page. An existing user is linked only if they proved their
 * own email: an unverified password account may have been registered by someone else.
 * `userId` is the user Auth.js matched by this IdP account (already linked), if any.
 */
export async function authorizeSsoSignIn(input: {
  connection: Pick<SsoClientConnection, "orgSlug" | "domains" | "verifiedDomains">;
  email: string;
  userId: string | undefined;
  /** The IdP account signing in (Auth.js's provider id and the IdP's `sub`). */
  account?: { provider: string; providerAccountId: string };
}): Promise<SsoSignInVerdict> {
  const { connection, email } = input;
  const domain = emailDomain(email);
  if (!domain || !connection.domains.includes(domain)) return { ok: false, error: "SsoDomain" };
  if (!connection.verifiedDomains.includes(domain)) {
    return { ok: false, redirect: ssoTestResultPath(connection.orgSlug, email) };
  }
  const db = await getDb();
  if (input.account) {
    // The user this IdP account is already linked to. A connection id can outlive its connection
    // (a new one may reuse it), so that user must still belong to a domain this org verified.
    const [linked] = await db
      .select({ email: users.email })
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.userId))
      .where(
        and(
          eq(accounts.provider, input.account.provider),
          eq(accounts.providerAccountId, input.account.providerAccountId),
        ),
      )
      .limit(1);
    if (linked) {
      const linkedDomain = emailDomain(linked.email);
      if (!linkedDomain || !connection.verifiedDomains.includes(linkedDomain)) {
        return { ok: false, error: "SsoDomain" };
      }
    }
  }
  const [existing] = await db
    .select({ id: users.id, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (existing && existing.id !== input.userId && !existing.emailVerified) {
    return { ok: false, error: "SsoUnverifiedAccount" };
  }
  return { ok: true };
}

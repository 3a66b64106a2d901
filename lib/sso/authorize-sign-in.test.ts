import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { accounts, users } from "@/db/schema";
import { authorizeSsoSignIn } from "./authorize-sign-in";

const uid = () => Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  await getDb();
});

async function userWith(email: string, verified = true): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .insert(users)
    .values({ email, name: "U", emailVerified: verified ? new Date() : null })
    .returning({ id: users.id });
  if (!row) throw new Error("no user");
  return row.id;
}

describe("authorizeSsoSignIn", () => {
  it("refuses a user linked under a reused connection id whose email is outside the org's verified domains", async () => {
    // Another organization's deleted connection left the victim's IdP link behind; an attacker's new
    // connection with the same id and its own verified domain asserts the victim's `sub`.
    const victimId = await userWith(`vera-${uid()}@victim-${uid()}.test`);
    const account = { provider: `sso-${crypto.randomUUID()}`, providerAccountId: `sub-${uid()}` };
    await (await getDb()).insert(accounts).values({ userId: victimId, type: "oidc", ...account });
    const evil = `evil-${uid()}.test`;
    const verdict = await authorizeSsoSignIn({
      connection: { orgSlug: "attacker", domains: [evil], verifiedDomains: [evil] },
      email: `x@${evil}`,
      userId: victimId,
      account,
    });
    expect(verdict).toEqual({ ok: false, error: "SsoDomain" });
  });

  it("accepts a linked user whose email is in a domain the org verified", async () => {
    const domain = `corp-${uid()}.test`;
    const email = `ann-${uid()}@${domain}`;
    const id = await userWith(email);
    const account = { provider: `sso-${crypto.randomUUID()}`, providerAccountId: `sub-${uid()}` };
    await (await getDb()).insert(accounts).values({ userId: id, type: "oidc", ...account });
    const verdict = await authorizeSsoSignIn({
      connection: { orgSlug: "corp", domains: [domain], verifiedDomains: [domain] },
      email,
      userId: id,
      account,
    });
    expect(verdict).toEqual({ ok: true });
  });
});

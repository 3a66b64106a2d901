import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { authTokens, userSessions, users } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { outbox } from "@/lib/mail";
import { authorizeCredentials } from "./credentials";
import { isEmailVerified, verifyEmail } from "./email-verification";
import { hashPassword } from "./password";
import { requestPasswordReset, resetPassword } from "./password-reset";
import { createUserSession, isUserSessionActive } from "./sessions";
import { signUp } from "./sign-up";
import { consumeAuthToken, issueAuthToken, TOKEN_TTL_MS } from "./tokens";

const meta = { ip: null, userAgent: "vitest" };

async function newUser(passwordHash?: string) {
  const db = await getDb();
  const [user] = await db
    .insert(users)
    .values({ email: `tok-${randomUUID().slice(0, 8)}@example.test`, name: "Tok", passwordHash })
    .returning();
  if (!user) throw new Error("no user");
  return user;
}

function linkToken(to: string, path: string): string {
  const mail = outbox().findLast((m) => m.to === to);
  const match = mail?.text.match(new RegExp(`${path}\\?token=([^\\s]+)`));
  if (!match?.[1]) throw new Error(`no ${path} link mailed to ${to}`);
  return decodeURIComponent(match[1]);
}

describe("single-use auth tokens", () => {
  it("stores only a hash, works once, and only for its kind", async () => {
    const user = await newUser();
    const db = await getDb();
    const token = await issueAuthToken(db, user.id, "verify_email");
    const [row] = await db.select().from(authTokens).where(eq(authTokens.userId, user.id));
    if (!row) throw new Error("no token row");
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(
      TOKEN_TTL_MS.verify_email - 5000,
    );

    await expect(consumeAuthToken(db, token, "reset_password")).rejects.toBeInstanceOf(AppError);
    expect(await consumeAuthToken(db, token, "verify_email")).toBe(user.id);
    await expect(consumeAuthToken(db, token, "verify_email")).rejects.toThrow(
      /invalid, has expired or was already used/,
    );
  });

  it("refuses an expired token", async () => {
    const user = await newUser();
    const db = await getDb();
    const token = await issueAuthToken(db, user.id, "reset_password");
    await db
      .update(authTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authTokens.tokenHash, hashToken(token)));
    await expect(consumeAuthToken(db, token, "reset_password")).rejects.toBeInstanceOf(AppError);
  });

  it("invalidates the previous link when a new one is issued", async () => {
    const user = await newUser();
    const db = await getDb();
    const first = await issueAuthToken(db, user.id, "reset_password");
    const second = await issueAuthToken(db, user.id, "reset_password");
    await expect(consumeAuthToken(db, first, "reset_password")).rejects.toBeInstanceOf(AppError);
    expect(await consumeAuthToken(db, second, "reset_password")).toBe(user.id);
  });
});

describe("email verification", () => {
  it("sign-up mails a link that verifies the email once", async () => {
    const email = `new-${randomUUID().slice(0, 8)}@example.test`;
    const { id } = await signUp({ name: "New", email, password: "Zebra-Lantern-42" });
    expect(await isEmailVerified(id)).toBe(false);
    const token = linkToken(email, "/verify-email");
    expect(await verifyEmail(token)).toBe(email);
    expect(await isEmailVerified(id)).toBe(true);
    await expect(verifyEmail(token)).rejects.toBeInstanceOf(AppError);
  });

  it("sign-up refuses an email that already has an account", async () => {
    const user = await newUser();
    const error = await signUp({ name: "Dup", email: user.email, password: "Zebra-Lantern-42" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(409);
    expect(error.fieldErrors.email[0]).toMatch(/already exists/);
  });
});

describe("password reset", () => {
  it("sets the new password, revokes every session and works only once", async () => {
    const user = await newUser(await hashPassword("Old-Password-99"));
    const s1 = await createUserSession({ userId: user.id, provider: "credentials", meta });
    const s2 = await createUserSession({ userId: user.id, provider: "github", meta });

    await requestPasswordReset(user.email);
    const token = linkToken(user.email, "/reset-password");
    await resetPassword(token, "New-Password-77");

    expect(await isUserSessionActive(s1, user.id)).toBe(false);
    expect(await isUserSessionActive(s2, user.id)).toBe(false);
    await expect(
      authorizeCredentials({ email: user.email, password: "New-Password-77" }, meta),
    ).resolves.toMatchObject({
      id: user.id,
    });
    await expect(resetPassword(token, "Another-Password-55")).rejects.toBeInstanceOf(AppError);
    const db = await getDb();
    const rows = await db.select().from(userSessions).where(eq(userSessions.userId, user.id));
    expect(rows.every((r) => r.revokedAt)).toBe(true);
  });

  it("sends nothing for an unknown email (and does not say so)", async () => {
    const before = outbox().length;
    await expect(requestPasswordReset("ghost@example.test")).resolves.toBeUndefined();
    expect(outbox().length).toBe(before);
  });
});

import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { signInAttempts, users } from "@/db/schema";
import { authorizeCredentials } from "./credentials";
import { InvalidCredentials, LockedOut } from "./errors";
import { hashPassword } from "./password";
import { LOCKOUT_WINDOW_MS, lockoutStatus } from "./rate-limit";

const meta = { ip: "203.0.113.7", userAgent: "vitest" };
const PASSWORD = "Zebra-Lantern-42";

async function userWithPassword() {
  const db = await getDb();
  const email = `pw-${randomUUID().slice(0, 8)}@example.test`;
  const [user] = await db
    .insert(users)
    .values({ email, name: "Pat", passwordHash: await hashPassword(PASSWORD) })
    .returning();
  if (!user) throw new Error("no user");
  return user;
}

describe("password sign-in (authorize)", () => {
  it("returns the user for the right password and records the attempt", async () => {
    const user = await userWithPassword();
    const result = await authorizeCredentials({ email: user.email.toUpperCase(), password: PASSWORD }, meta);
    expect(result).toEqual({ id: user.id, email: user.email, name: "Pat" });
    const db = await getDb();
    const attempts = await db.select().from(signInAttempts).where(eq(signInAttempts.email, user.email));
    expect(attempts).toMatchObject([{ success: true, ip: "203.0.113.7" }]);
  });

  it("refuses a wrong password and an unknown email with the same error", async () => {
    const user = await userWithPassword();
    await expect(
      authorizeCredentials({ email: user.email, password: "wrong-password-1" }, meta),
    ).rejects.toBeInstanceOf(InvalidCredentials);
    await expect(
      authorizeCredentials({ email: "nobody-here@example.test", password: PASSWORD }, meta),
    ).rejects.toBeInstanceOf(InvalidCredentials);
  });

  it("locks the email after 5 failures, even for the right password, and says for how long", async () => {
    const user = await userWithPassword();
    for (let i = 0; i < 5; i++) {
      await expect(
        authorizeCredentials({ email: user.email, password: `wrong-${i}` }, meta),
      ).rejects.toBeInstanceOf(InvalidCredentials);
    }
    const error = await authorizeCredentials({ email: user.email, password: PASSWORD }, meta).catch((e) => e);
    expect(error).toBeInstanceOf(LockedOut);
    expect(error.code).toBe("locked");
    expect(error.userMessage).toBe("Too many attempts. Try again in 15 minutes.");
    // The refused attempt is not recorded, so it does not extend the lock.
    const db = await getDb();
    const attempts = await db.select().from(signInAttempts).where(eq(signInAttempts.email, user.email));
    expect(attempts).toHaveLength(5);
    expect(attempts.every((a) => !a.success)).toBe(true);
  });

  it("lifts the lock once the failures are older than 15 minutes", async () => {
    const user = await userWithPassword();
    const db = await getDb();
    const old = Date.now() - LOCKOUT_WINDOW_MS + 2 * 60_000; // 13 minutes ago
    await db.insert(signInAttempts).values(
      Array.from({ length: 5 }, (_, i) => ({
        email: user.email,
        success: false,
        createdAt: new Date(old + i * 1000),
      })),
    );
    const now = await lockoutStatus(user.email);
    expect(now).toEqual({ locked: true, retryAfterMinutes: 2 });
    expect(await lockoutStatus(user.email, new Date(old + LOCKOUT_WINDOW_MS + 1000))).toEqual({
      locked: false,
    });
    await db
      .update(signInAttempts)
      .set({ createdAt: new Date(Date.now() - LOCKOUT_WINDOW_MS - 1000) })
      .where(eq(signInAttempts.email, user.email));
    await expect(
      authorizeCredentials({ email: user.email, password: PASSWORD }, meta),
    ).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("does not count failures from before the last successful sign-in", async () => {
    const user = await userWithPassword();
    const db = await getDb();
    const t = Date.now() - 60_000;
    await db.insert(signInAttempts).values([
      ...Array.from({ length: 4 }, (_, i) => ({
        email: user.email,
        success: false,
        createdAt: new Date(t + i),
      })),
      { email: user.email, success: true, createdAt: new Date(t + 10) },
      { email: user.email, success: false, createdAt: new Date(t + 20) },
    ]);
    expect(await lockoutStatus(user.email)).toEqual({ locked: false });
  });
});

import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { signInAttempts, users } from "@/db/schema";
import { limiterFor } from "@/lib/rate-limit";
import { POLICIES } from "@/lib/rate-limit/policies";
import { authorizeCredentials } from "./credentials";
import { InvalidCredentials, LockedOut } from "./errors";
import { hashPassword } from "./password";

const meta = { ip: "203.0.113.7", userAgent: "vitest" };
const attacker = { ip: "198.51.100.66", userAgent: "curl" };
const victimsLaptop = { ip: "192.0.2.10", userAgent: "firefox" };
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

const attempt = (email: string, password: string, from: { ip: string | null; userAgent: string } = meta) =>
  authorizeCredentials({ email, password }, from).catch((e: unknown) => e);

afterEach(() => {
  vi.useRealTimers();
});

beforeAll(() => getDb(), 60_000);

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

  it("an attacker's 100 failures from one IP never lock the real user out from another IP", async () => {
    const user = await userWithPassword();
    let refusedWithoutCheck = 0;
    for (let i = 0; i < 100; i++) {
      const error = await attempt(user.email, `guess-${i}`, attacker);
      if (error instanceof LockedOut) refusedWithoutCheck++;
      else expect(error).toBeInstanceOf(InvalidCredentials);
    }
    // Past the free failures the attacker's IP waits, and its refused tries are not even checked.
    expect(refusedWithoutCheck).toBeGreaterThan(90);
    await expect(
      authorizeCredentials({ email: user.email, password: PASSWORD }, victimsLaptop),
    ).resolves.toMatchObject({ id: user.id });
    // …and the attacker is still waiting, even with the right password.
    expect(await attempt(user.email, PASSWORD, attacker)).toBeInstanceOf(LockedOut);
  });

  it("with no known client IP (no trusted proxy), failures by others never lock the real user out", async () => {
    const user = await userWithPassword();
    const unknown = { ip: null, userAgent: "anyone" };
    for (let i = 0; i < 10; i++)
      expect(await attempt(user.email, `guess-${i}`, unknown)).toBeInstanceOf(InvalidCredentials);
    await expect(
      authorizeCredentials({ email: user.email, password: PASSWORD }, unknown),
    ).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("past the account's ceiling (failures from many IPs) the real user is slowed, not refused", async () => {
    const user = await userWithPassword();
    const ceiling = POLICIES["signin.failures.account"].points;
    await (await limiterFor("signin.failures.account")).penalty(user.email, ceiling);
    const started = Date.now();
    await expect(
      authorizeCredentials({ email: user.email, password: PASSWORD }, victimsLaptop),
    ).resolves.toMatchObject({ id: user.id });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("makes one IP wait 1 s, 2 s, 4 s … after consecutive failures on one account; a success resets it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const user = await userWithPassword();
    // Three typos are free.
    for (let i = 0; i < 3; i++)
      expect(await attempt(user.email, `typo-${i}`)).toBeInstanceOf(InvalidCredentials);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(await attempt(user.email, `wrong-${i}`)).toBeInstanceOf(InvalidCredentials);
      const refused = await attempt(user.email, PASSWORD);
      expect(refused, `failure ${i + 4}`).toBeInstanceOf(LockedOut);
      waits.push((refused as LockedOut).retryAfterSeconds);
      vi.setSystemTime(Date.now() + (refused as LockedOut).retryAfterSeconds * 1000 + 10);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32]);
    // Once the wait is over the right password works, and the streak starts again from zero.
    await expect(
      authorizeCredentials({ email: user.email, password: PASSWORD }, meta),
    ).resolves.toMatchObject({
      id: user.id,
    });
    for (let i = 0; i < 3; i++)
      expect(await attempt(user.email, `typo-${i}`)).toBeInstanceOf(InvalidCredentials);
    expect(await attempt(user.email, PASSWORD)).not.toBeInstanceOf(LockedOut);
  }, 60_000);

  it("an IP failing across many accounts waits out the hour, on every account", async () => {
    const user = await userWithPassword();
    const ip = { ip: "198.51.100.200", userAgent: "spray" };
    await (await limiterFor("signin.failures.ip")).penalty(ip.ip, POLICIES["signin.failures.ip"].points);
    const refused = await attempt(user.email, PASSWORD, ip);
    expect(refused).toBeInstanceOf(LockedOut);
    expect((refused as LockedOut).retryAfterSeconds).toBeGreaterThan(3000);
    await expect(authorizeCredentials({ email: user.email, password: PASSWORD }, meta)).resolves.toBeTruthy();
  });

  it("limits password attempts per IP (the Auth.js callback path too): 20 a minute", async () => {
    const ip = { ip: "198.51.100.201", userAgent: "flood" };
    const results = [];
    for (let i = 0; i < 25; i++) results.push(await attempt(`nobody-${i}@example.test`, "whatever-1", ip));
    expect(results.filter((r) => r instanceof InvalidCredentials)).toHaveLength(20);
    const refused = results.filter((r) => r instanceof LockedOut) as LockedOut[];
    expect(refused).toHaveLength(5);
    expect(refused[0]?.userMessage).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
  });

  it("refuses a NUL byte in the email or password before anything else", async () => {
    expect(await attempt("a\u0000@example.test", PASSWORD)).toBeInstanceOf(InvalidCredentials);
    expect(await attempt("a@example.test", "pass\u0000word")).toBeInstanceOf(InvalidCredentials);
  });
});

import { getDb } from "@/db";
import { signInAttempts } from "@/db/schema";
import { limiterFor } from "@/lib/rate-limit";
import { enforceLimit, ipKey, retryAfterSeconds, waitText } from "@/lib/rate-limit/enforce";
import { ACCOUNT_CEILING_DELAY_MS, POLICIES, signInDelaySeconds } from "@/lib/rate-limit/policies";

export type SignInGate = { allowed: true; slowMs: number } | { allowed: false; retryAfterSeconds: number };

const pairKey = (email: string, ip: string | null) => `${ipKey(ip)}|${email}`;

/**
 * Whether a password attempt on `email` from `ip` may be checked. Failures lock only the IP
 * that made them, for that account, with a delay that doubles (lib/rate-limit/policies.ts), and
 * an IP failing across many accounts waits out its hour; the account as a whole is only slowed
 * past a high ceiling, so an attacker elsewhere can never lock the real user out.
 * Refused attempts are not counted: hammering a delay does not extend it.
 */
export async function signInGate(email: string, ip: string | null): Promise<SignInGate> {
  await enforceLimit("auth.ip", ipKey(ip));
  // Without a known client IP (no trusted proxy) every caller shares one key: delays and caps on
  // it would let anyone lock a victim (or everyone) out, so only the account ceiling applies.
  if (ip === null) return accountGate(email);
  const delay = await (await limiterFor("signin.delay.ip+account")).get(pairKey(email, ip));
  if (delay && delay.consumedPoints > POLICIES["signin.delay.ip+account"].points) {
    return { allowed: false, retryAfterSeconds: retryAfterSeconds(delay.msBeforeNext) };
  }
  const fromIp = await (await limiterFor("signin.failures.ip")).get(ipKey(ip));
  if (fromIp && fromIp.consumedPoints >= POLICIES["signin.failures.ip"].points) {
    return { allowed: false, retryAfterSeconds: retryAfterSeconds(fromIp.msBeforeNext) };
  }
  return accountGate(email);
}

async function accountGate(email: string): Promise<SignInGate> {
  const onAccount = await (await limiterFor("signin.failures.account")).get(email);
  const slowed = onAccount && onAccount.consumedPoints >= POLICIES["signin.failures.account"].points;
  return { allowed: true, slowMs: slowed ? ACCOUNT_CEILING_DELAY_MS : 0 };
}

/** Counts a wrong password against the IP+account pair (setting its next delay), the IP and the account. */
export async function recordSignInFailure(email: string, ip: string | null): Promise<void> {
  const pair = pairKey(email, ip);
  const { consumedPoints } = await (await limiterFor("signin.failures.ip+account")).penalty(pair);
  const seconds = signInDelaySeconds(consumedPoints);
  if (seconds > 0) await (await limiterFor("signin.delay.ip+account")).block(pair, seconds);
  await (await limiterFor("signin.failures.ip")).penalty(ipKey(ip));
  await (await limiterFor("signin.failures.account")).penalty(email);
}

/** A success ends the IP+account streak (the IP and account counters age out on their own). */
export async function recordSignInSuccess(email: string, ip: string | null): Promise<void> {
  const pair = pairKey(email, ip);
  await (await limiterFor("signin.failures.ip+account")).delete(pair);
  await (await limiterFor("signin.delay.ip+account")).delete(pair);
}

/** Every verdict on a password, kept (30 days, see the cleanup function) for investigating abuse. */
export async function recordSignInAttempt(email: string, ip: string | null, success: boolean): Promise<void> {
  const db = await getDb();
  await db.insert(signInAttempts).values({ email, ip, success });
}

export function lockedOutMessage(seconds: number): string {
  return `Too many attempts. Try again in ${waitText(seconds)}.`;
}

import { and, desc, eq, gt } from "drizzle-orm";
import { getDb } from "@/db";
import { signInAttempts } from "@/db/schema";

const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;

export type Lockout = { locked: false } | { locked: true; retryAfterMinutes: number };

/**
 * Password sign-in is refused for an email once it has MAX_FAILED_ATTEMPTS failures within the
 * window since its last success; the lock lifts when the oldest of those failures ages out.
 * Refused attempts are not recorded, so hammering a locked account does not extend the lock.
 */
export async function lockoutStatus(email: string, now = new Date()): Promise<Lockout> {
  const db = await getDb();
  const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS);
  const recent = await db
    .select({ success: signInAttempts.success, createdAt: signInAttempts.createdAt })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.email, email), gt(signInAttempts.createdAt, since)))
    .orderBy(desc(signInAttempts.createdAt))
    .limit(MAX_FAILED_ATTEMPTS);
  const failures: Date[] = [];
  for (const attempt of recent) {
    if (attempt.success) break;
    failures.push(attempt.createdAt);
  }
  const oldest = failures[MAX_FAILED_ATTEMPTS - 1];
  if (!oldest) return { locked: false };
  const unlockAt = oldest.getTime() + LOCKOUT_WINDOW_MS;
  return { locked: true, retryAfterMinutes: Math.max(1, Math.ceil((unlockAt - now.getTime()) / 60_000)) };
}

export async function recordSignInAttempt(email: string, ip: string | null, success: boolean): Promise<void> {
  const db = await getDb();
  await db.insert(signInAttempts).values({ email, ip, success });
}

export function lockedOutMessage(minutes: number): string {
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

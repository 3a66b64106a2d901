import { and, eq, isNull } from "drizzle-orm";
import { type Executor, getDb } from "@/db";
import { users } from "@/db/schema";
import { appUrl } from "@/lib/app-origin";
import { sendMail } from "@/lib/mail";
import { consumeAuthToken, issueAuthToken, lastIssuedAt } from "./tokens";

// One verification email per minute per user, so the resend button cannot flood an inbox.
const RESEND_INTERVAL_MS = 60 * 1000;

export async function sendVerificationEmail(user: { id: string; email: string; name: string | null }) {
  const db = await getDb();
  const token = await issueAuthToken(db, user.id, "verify_email");
  const link = await appUrl(`/verify-email?token=${encodeURIComponent(token)}`);
  await sendMail({
    to: user.email,
    subject: "Confirm your email for DafnckMachine",
    text: `Hello${user.name ? ` ${user.name}` : ""},\n\nConfirm your email address by opening this link (valid for 24 hours):\n${link}\n\nIf you did not create an account, ignore this email.`,
  });
}

/** Resends the link unless one went out in the last minute; says whether it sent one. */
export async function resendVerificationEmail(
  userId: string,
): Promise<{ sent: boolean; alreadyVerified: boolean }> {
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return { sent: false, alreadyVerified: false };
  if (user.emailVerified) return { sent: false, alreadyVerified: true };
  const last = await lastIssuedAt(db, user.id, "verify_email");
  if (last && Date.now() - last.getTime() < RESEND_INTERVAL_MS)
    return { sent: false, alreadyVerified: false };
  await sendVerificationEmail(user);
  return { sent: true, alreadyVerified: false };
}

/** Consumes a verification link and marks the email verified; returns the verified address. */
export async function verifyEmail(token: string): Promise<string> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const userId = await consumeAuthToken(tx, token, "verify_email");
    await markEmailVerified(tx, userId);
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    return user?.email ?? "";
  });
}

export async function markEmailVerified(db: Executor, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ emailVerified: new Date() })
    .where(and(eq(users.id, userId), isNull(users.emailVerified)));
}

export async function isEmailVerified(userId: string): Promise<boolean> {
  const db = await getDb();
  const [user] = await db
    .select({ emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return Boolean(user?.emailVerified);
}

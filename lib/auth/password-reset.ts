import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { appUrl } from "@/lib/app-origin";
import { sendMail } from "@/lib/mail";
import { markEmailVerified } from "./email-verification";
import { hashPassword } from "./password";
import { revokeUserSessions } from "./sessions";
import { consumeAuthToken, issueAuthToken, lastIssuedAt } from "./tokens";

const RESEND_INTERVAL_MS = 60 * 1000;

/**
 * Sends a reset link when the email belongs to an account. The caller answers the same either
 * way, so the form does not reveal which emails are registered.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (!user) return;
  const last = await lastIssuedAt(db, user.id, "reset_password");
  if (last && Date.now() - last.getTime() < RESEND_INTERVAL_MS) return;
  const token = await issueAuthToken(db, user.id, "reset_password");
  const link = await appUrl(`/reset-password?token=${encodeURIComponent(token)}`);
  await sendMail({
    to: user.email,
    subject: "Reset your DafnckMachine password",
    text: `Hello${user.name ? ` ${user.name}` : ""},\n\nSomeone asked to reset the password of this account. Choose a new password here (valid for 1 hour):\n${link}\n\nIf it was not you, ignore this email: your password stays the same.`,
  });
}

/**
 * Sets a new password from a reset link and signs the account out everywhere: whoever had the
 * old password loses their sessions on their next request. The link also proves the email.
 */
export async function resetPassword(token: string, newPassword: string): Promise<{ email: string }> {
  const passwordHash = await hashPassword(newPassword);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const userId = await consumeAuthToken(tx, token, "reset_password");
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, userId))
      .returning({ email: users.email });
    await markEmailVerified(tx, userId);
    await revokeUserSessions(tx, userId);
    return { email: user?.email ?? "" };
  });
}

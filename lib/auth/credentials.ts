import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { safeParseInput } from "@/lib/api/input";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { enforcedSsoFor } from "@/lib/sso/lookup";
import { InvalidCredentials, LockedOut, SsoRequired } from "./errors";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { recordSignInAttempt, recordSignInFailure, recordSignInSuccess, signInGate } from "./rate-limit";

export const credentialsSchema = z.object({
  email: z
    .string({ error: "Enter your email." })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "Enter a valid email address." }).max(320, "That email is too long.")),
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1024),
});

export type AuthorizedUser = { id: string; email: string; name: string | null };

/**
 * The Credentials provider's `authorize` (the sign-in form and a direct POST to the Auth.js
 * callback both land here): the per-IP limits and this IP's delay on this account first (even a
 * correct password waits it out), then SSO enforcement, then the password. Every verdict on the
 * password is recorded.
 */
export async function authorizeCredentials(raw: unknown, meta: RequestMeta): Promise<AuthorizedUser> {
  const parsed = safeParseInput(credentialsSchema, raw);
  if (!parsed.success) throw new InvalidCredentials();
  const { email, password } = parsed.data;

  const gate = await signInGate(email, meta.ip).catch((error) => {
    if (error instanceof AppError && error.code === "rate_limited")
      throw new LockedOut(error.retryAfterSeconds ?? 60);
    throw error;
  });
  if (!gate.allowed) throw new LockedOut(gate.retryAfterSeconds);
  if (gate.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, gate.slowMs));

  if (await enforcedSsoFor(email)) throw new SsoRequired();

  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  const ok = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : await verifyAgainstDummy(password);
  await recordSignInAttempt(email, meta.ip, ok);
  if (!ok || !user) {
    await recordSignInFailure(email, meta.ip);
    throw new InvalidCredentials();
  }
  await recordSignInSuccess(email, meta.ip);
  return { id: user.id, email: user.email, name: user.name };
}

import { notFound } from "next/navigation";
import { isEmailVerified } from "@/lib/auth/email-verification";
import { getCurrentUser, type SessionUser } from "@/lib/auth/session";
import { instanceAdminEmails } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Instance operators: signed-in users whose email is listed in INSTANCE_ADMIN_EMAILS and verified
 * (otherwise whoever signs up first with an operator's address would be one).
 */
export async function isInstanceAdmin(user: SessionUser | null): Promise<boolean> {
  if (!user || !instanceAdminEmails().includes(user.email.toLowerCase())) return false;
  return isEmailVerified(user.id);
}

/** For pages: everyone else gets a 404, so the operator pages do not reveal that they exist. */
export async function requireInstanceAdmin(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user || !(await isInstanceAdmin(user))) notFound();
  return user;
}

/** For actions: the same rule, as the error the action wrapper turns into a result. */
export async function assertInstanceAdmin(user: SessionUser): Promise<void> {
  if (!(await isInstanceAdmin(user))) throw new AppError("not_found", "Not found");
}

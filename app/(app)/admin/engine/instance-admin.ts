import { notFound } from "next/navigation";
import { getCurrentUser, type SessionUser } from "@/lib/auth/session";
import { instanceAdminEmails } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Instance operators: signed-in users whose email is listed in INSTANCE_ADMIN_EMAILS. */
export function isInstanceAdmin(user: SessionUser | null): user is SessionUser {
  return !!user && instanceAdminEmails().includes(user.email.toLowerCase());
}

/** For pages: everyone else gets a 404, so the operator pages do not reveal that they exist. */
export async function requireInstanceAdmin(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!isInstanceAdmin(user)) notFound();
  return user;
}

/** For actions: the same rule, as the error the action wrapper turns into a result. */
export function assertInstanceAdmin(user: SessionUser): void {
  if (!isInstanceAdmin(user)) throw new AppError("not_found", "Not found");
}

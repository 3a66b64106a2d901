import { cache } from "react";
import { auth } from "@/lib/auth";

export type SessionUser = { id: string; email: string; name: string | null };

/**
 * The signed-in user for this request, or null. Every wrapper and page resolves the user here,
 * so tests replace this one module to act as a given user.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  // cache(): a page, its layout and its actions resolve the session (a database read) once per request.
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email, name: user.name ?? null };
});

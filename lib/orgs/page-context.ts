import "server-only";
import { notFound, redirect } from "next/navigation";
import { connection } from "next/server";
import type { Permission } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { currentRequestMeta } from "@/lib/request-meta";
import { type OrgContext, resolveOrgContext } from "./context";

/**
 * For org pages: the signed-in user's context in `orgSlug`, or null when their role lacks
 * `permission` (the page then shows a "no access" state). Signed out → sign-in with a way back;
 * not a member or no such organization → 404.
 */
export async function orgPageContext(
  orgSlug: string,
  permission: Permission,
  path: string,
): Promise<OrgContext | null> {
  // Before any database access: `next build` must not open the database.
  await connection();
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  try {
    return await resolveOrgContext(user, orgSlug, permission, await currentRequestMeta());
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    if (error instanceof AppError && error.code === "forbidden") return null;
    throw error;
  }
}

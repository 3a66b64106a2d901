import { and, eq } from "drizzle-orm";
import { asUser, type Tx, withTenant } from "@/db";
import { memberships, organizations, type Role } from "@/db/schema";
import { type AuditEntry, writeAudit } from "@/lib/audit/log";
import { can, type Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";

export type OrgSummary = { id: string; name: string; slug: string };

export type OrgContext = {
  org: OrgSummary;
  user: SessionUser;
  role: Role;
  meta: RequestMeta;
  /** Runs `fn` in a transaction confined to this organization by RLS. */
  tx: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /** Writes an audit entry for this actor and request inside `tx`. */
  audit: (tx: Tx, entry: Omit<AuditEntry, "orgId" | "actor" | "meta">) => Promise<void>;
  can: (permission: Permission) => boolean;
  /** Set when an org API key (not a signed-in member) is acting; `user` is then the key's creator. */
  apiKey?: { id: string; name: string; prefix: string };
};

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

/**
 * Resolves the organization in the URL for this user. An organization that does not exist and one
 * the user is not a member of look the same (404), so slugs leak nothing; a member without the
 * permission gets 403.
 */
export async function resolveOrgContext(
  user: SessionUser | null,
  orgSlug: string,
  permission: Permission,
  meta: RequestMeta,
): Promise<OrgContext> {
  if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!SLUG.test(orgSlug)) throw notFound("Organization not found.");
  const row = await asUser(user.id, async (tx) => {
    const [r] = await tx
      .select({
        id: organizations.id,
        name: organizations.name,
        slug: organizations.slug,
        role: memberships.role,
      })
      .from(organizations)
      .innerJoin(memberships, and(eq(memberships.orgId, organizations.id), eq(memberships.userId, user.id)))
      .where(eq(organizations.slug, orgSlug))
      .limit(1);
    return r;
  });
  if (!row) throw notFound("Organization not found.");
  const { role, ...org } = row;
  if (!can(role, permission)) throw forbidden();
  return {
    org,
    user,
    role,
    meta,
    tx: (fn) => withTenant({ orgId: org.id, userId: user.id }, fn),
    audit: (tx, entry) =>
      writeAudit(tx, { ...entry, orgId: org.id, actor: { id: user.id, email: user.email }, meta }),
    can: (p) => can(role, p),
  };
}

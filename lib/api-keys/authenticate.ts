import { and, eq, isNull, lt, or } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, memberships, organizations, type Role, users } from "@/db/schema";
import { can, PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { safeEqual } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import type { OrgSummary } from "@/lib/orgs/context";
import type { RequestMeta } from "@/lib/request-meta";
import { parseApiKey } from "./format";

/** Who a valid key acts as: its organization, its scopes (bounded by its creator's current role). */
export type ApiKeyPrincipal = {
  key: { id: string; name: string; prefix: string };
  org: OrgSummary & { plan: string };
  /** The member who created it: recorded as the actor of what the key does. */
  user: SessionUser;
  role: Role;
  /** The key's scopes that its creator's role still allows. */
  permissions: ReadonlySet<Permission>;
};

const INVALID = "The API key is invalid, expired or revoked.";
/** last_used_at is written at most this often per key, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves a presented key. The lookup runs before any organization is known, so it reads the key
 * by its unique prefix on the owner connection (like a session lookup), then compares the hash in
 * constant time. A key works while it is unrevoked, unexpired and its creator is still a member;
 * what it may do is its scopes intersected with the creator's role now. Every failure is the same
 * 401, so a caller learns nothing about which part was wrong.
 */
export async function authenticateApiKey(presented: string, meta: RequestMeta): Promise<ApiKeyPrincipal> {
  const parsed = parseApiKey(presented);
  if (!parsed) throw new AppError("unauthenticated", INVALID);
  const db = await getDb();
  const [row] = await db
    .select({
      key: apiKeys,
      org: {
        id: organizations.id,
        name: organizations.name,
        slug: organizations.slug,
        plan: organizations.plan,
      },
      user: { id: users.id, email: users.email, name: users.name },
      role: memberships.role,
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
    .leftJoin(users, eq(users.id, apiKeys.createdById))
    .leftJoin(
      memberships,
      and(eq(memberships.orgId, apiKeys.orgId), eq(memberships.userId, apiKeys.createdById)),
    )
    .where(eq(apiKeys.prefix, parsed.prefix))
    .limit(1);
  if (!row || !safeEqual(row.key.secretHash, parsed.hash)) throw new AppError("unauthenticated", INVALID);
  const now = new Date();
  if (row.key.revokedAt || (row.key.expiresAt && row.key.expiresAt <= now)) {
    throw new AppError("unauthenticated", INVALID);
  }
  if (!row.user || !row.role) {
    throw new AppError("unauthenticated", "The API key's creator is no longer a member; create a new key.");
  }
  const role = row.role;
  const scopes = new Set(row.key.scopes);
  const permissions = new Set(PERMISSIONS.filter((p) => scopes.has(p) && can(role, p)));
  if (!row.key.lastUsedAt || now.getTime() - row.key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
    // Conditional, so concurrent requests write it once; a failed touch never fails the request.
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now, lastUsedIp: meta.ip })
      .where(and(eq(apiKeys.id, row.key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))))
      .catch(() => {});
  }
  return {
    key: { id: row.key.id, name: row.key.name, prefix: row.key.prefix },
    org: row.org,
    user: { id: row.user.id, email: row.user.email, name: row.user.name },
    role,
    permissions,
  };
}

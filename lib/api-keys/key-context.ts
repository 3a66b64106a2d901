import { withTenant } from "@/db";
import { writeAudit } from "@/lib/audit/log";
import type { Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import type { RequestMeta } from "@/lib/request-meta";
import type { ApiKeyPrincipal } from "./authenticate";

/**
 * The org context a key acts in: the same shape every lib verb takes, so a verb behaves the same
 * whether a member or a key calls it. `can` answers from the key's effective scopes, and every
 * audit entry names the key beside its creator.
 */
export function apiKeyContext(principal: ApiKeyPrincipal, meta: RequestMeta): OrgContext {
  const { org, user, role, key, permissions } = principal;
  return {
    org: { id: org.id, name: org.name, slug: org.slug },
    user,
    role,
    meta,
    apiKey: key,
    tx: (fn) => withTenant({ orgId: org.id, userId: user.id }, fn),
    audit: (tx, entry) =>
      writeAudit(tx, {
        ...entry,
        metadata: { ...entry.metadata, via: "api_key", apiKeyId: key.id, apiKeyPrefix: key.prefix },
        orgId: org.id,
        actor: { id: user.id, email: user.email },
        meta,
      }),
    can: (p) => permissions.has(p),
  };
}

/** 403 with the scope named, so an integrator knows which scope the key needs. */
export function requireScope(ctx: OrgContext, permission: Permission): void {
  if (!ctx.can(permission)) {
    throw new AppError(
      "forbidden",
      ctx.apiKey ? `This API key lacks the "${permission}" scope.` : "You do not have permission to do that.",
    );
  }
}

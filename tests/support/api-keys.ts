import { createApiKey } from "@/lib/api-keys/create-api-key";
import type { Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { resolveOrgContext } from "@/lib/orgs/context";

const meta = { ip: "198.51.100.9", userAgent: "vitest" };

/**
 * Mints a real org API key through the product's own verb, as `creator` (who needs
 * `api_keys.manage`; by default pass an owner or admin). Returns the secret and headers to send it.
 */
export async function mintApiKey(
  creator: SessionUser,
  orgSlug: string,
  scopes: Permission[],
  opts: { name?: string; expiresInDays?: number | null } = {},
) {
  const ctx = await resolveOrgContext(creator, orgSlug, "api_keys.manage", meta);
  const { key, secret } = await createApiKey(ctx, {
    name: opts.name ?? `key ${scopes.join(" ")}`.slice(0, 80),
    scopes,
    expiresInDays: opts.expiresInDays ?? null,
  });
  return {
    id: key.id,
    prefix: key.prefix,
    secret,
    headers: { authorization: `Bearer ${secret}` } as Record<string, string>,
  };
}

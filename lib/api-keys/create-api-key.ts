import { apiKeys } from "@/db/schema";
import type { Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { generateApiKey } from "./format";
import type { ApiKeySummary, CreateApiKeyInput } from "./schemas";
import { toApiKeySummary } from "./summary";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates an org API key. Its scopes are a subset of what the creator may do (nobody mints a key
 * above their own role); the secret is returned here once and only its hash is stored.
 */
export async function createApiKey(
  ctx: OrgContext,
  input: CreateApiKeyInput,
): Promise<{ key: ApiKeySummary; secret: string }> {
  const beyond = input.scopes.filter((s) => !ctx.can(s as Permission));
  if (beyond.length) {
    throw new AppError("validation", "A key cannot have scopes its creator lacks.", {
      fieldErrors: { scopes: [`You cannot grant: ${beyond.join(", ")}.`] },
    });
  }
  const generated = generateApiKey();
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null;
  const row = await ctx.tx(async (tx) => {
    const [created] = await tx
      .insert(apiKeys)
      .values({
        orgId: ctx.org.id,
        name: input.name,
        prefix: generated.prefix,
        secretHash: generated.hash,
        scopes: input.scopes,
        expiresAt,
        createdById: ctx.user.id,
      })
      .returning();
    if (!created) throw new Error("api key insert returned nothing");
    await ctx.audit(tx, {
      action: "api_key.create",
      target: { type: "api_key", id: created.id },
      metadata: { name: input.name, prefix: generated.prefix, scopes: input.scopes, expiresAt },
    });
    return created;
  });
  return { key: toApiKeySummary(row, ctx.user.email), secret: generated.key };
}

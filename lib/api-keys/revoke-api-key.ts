import { and, eq } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import type { ApiKeySummary } from "./schemas";
import { toApiKeySummary } from "./summary";

/** Revokes a key at once (the next request with it gets 401). Revoking a revoked key changes nothing. */
export async function revokeApiKey(ctx: OrgContext, id: string): Promise<ApiKeySummary> {
  return ctx.tx(async (tx) => {
    const [row] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, ctx.org.id), eq(apiKeys.id, id)))
      .for("update")
      .limit(1);
    if (!row) throw notFound("API key not found.");
    if (row.revokedAt) return toApiKeySummary(row, null);
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date(), revokedById: ctx.user.id })
      .where(and(eq(apiKeys.orgId, ctx.org.id), eq(apiKeys.id, id)))
      .returning();
    if (!revoked) throw notFound("API key not found.");
    await ctx.audit(tx, {
      action: "api_key.revoke",
      target: { type: "api_key", id },
      metadata: { name: row.name, prefix: row.prefix },
    });
    return toApiKeySummary(revoked, null);
  });
}

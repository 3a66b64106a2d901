import { desc, eq } from "drizzle-orm";
import { apiKeys, users } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import type { ApiKeySummary } from "./schemas";
import { toApiKeySummary } from "./summary";

export async function listApiKeys(ctx: OrgContext): Promise<ApiKeySummary[]> {
  const rows = await ctx.tx((tx) =>
    tx
      .select({ key: apiKeys, createdBy: users.email })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdById))
      .where(eq(apiKeys.orgId, ctx.org.id))
      .orderBy(desc(apiKeys.createdAt))
      .limit(500),
  );
  return rows.map((r) => toApiKeySummary(r.key, r.createdBy));
}

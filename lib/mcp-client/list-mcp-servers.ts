import { asc, eq } from "drizzle-orm";
import { mcpServers, mcpToolGrants } from "@/db/schema";
import { requireScope } from "@/lib/api-keys/key-context";
import type { OrgContext } from "@/lib/orgs/context";
import type { McpServerSummary } from "./schemas";
import { toMcpServerSummary } from "./summary";

/**
 * The org's MCP servers with their tools and grants; header names only, never values. Reading
 * needs `integrations.manage` like writing: the URLs and header names describe the org's internal
 * tooling, and only admins manage it (the page is admin-only).
 */
export async function listMcpServers(ctx: OrgContext): Promise<McpServerSummary[]> {
  requireScope(ctx, "integrations.manage");
  return ctx.tx(async (tx) => {
    const rows = await tx
      .select()
      .from(mcpServers)
      .where(eq(mcpServers.orgId, ctx.org.id))
      .orderBy(asc(mcpServers.name))
      .limit(200);
    const grants = await tx
      .select({
        serverId: mcpToolGrants.serverId,
        toolName: mcpToolGrants.toolName,
        agentSlug: mcpToolGrants.agentSlug,
      })
      .from(mcpToolGrants)
      .where(eq(mcpToolGrants.orgId, ctx.org.id));
    return rows.map((row) =>
      toMcpServerSummary(
        row,
        grants.filter((g) => g.serverId === row.id),
      ),
    );
  });
}

import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { mcpServers, mcpToolGrants } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import type { McpServerSummary } from "./schemas";

export type McpServerRow = typeof mcpServers.$inferSelect;

/** What may leave the server about a registered MCP server: never its header values. */
export function toMcpServerSummary(
  row: McpServerRow,
  grants: { toolName: string; agentSlug: string }[],
): McpServerSummary {
  const byTool: Record<string, string[]> = {};
  for (const g of grants) {
    const slugs = byTool[g.toolName] ?? [];
    slugs.push(g.agentSlug);
    byTool[g.toolName] = slugs;
  }
  for (const slugs of Object.values(byTool)) slugs.sort();
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    enabled: row.enabled,
    headerNames: row.headerNames,
    tools: row.tools.map((t) => ({
      name: t.name,
      ...(t.title ? { title: t.title } : {}),
      ...(t.description ? { description: t.description } : {}),
      inputSchema: t.inputSchema,
    })),
    toolsRefreshedAt: row.toolsRefreshedAt?.toISOString() ?? null,
    lastError: row.lastError,
    grants: byTool,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The org's server by id (404 for another org's or a missing one), optionally locked. */
export async function loadServer(tx: Tx, ctx: OrgContext, id: string, lock = false): Promise<McpServerRow> {
  const query = tx
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.orgId, ctx.org.id), eq(mcpServers.id, id)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound("MCP server not found.");
  return row;
}

export async function grantsOf(tx: Tx, ctx: OrgContext, serverId: string) {
  return tx
    .select({ toolName: mcpToolGrants.toolName, agentSlug: mcpToolGrants.agentSlug })
    .from(mcpToolGrants)
    .where(and(eq(mcpToolGrants.orgId, ctx.org.id), eq(mcpToolGrants.serverId, serverId)));
}

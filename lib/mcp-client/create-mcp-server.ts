import { mcpServers } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { requireScope } from "@/lib/api-keys/key-context";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { assertOrgQuota } from "@/lib/orgs/org-quota";
import { sealHeaders } from "./headers";
import { type CreateMcpServerInput, createMcpServerInput, type McpServerSummary } from "./schemas";
import { toMcpServerSummary } from "./summary";
import { assertMcpUrl } from "./url";

/** MCP servers per organization. */
export const MAX_MCP_SERVERS = 20;

export const nameTaken = () =>
  new AppError("conflict", "A server with this name exists.", {
    fieldErrors: { name: ["Another MCP server of the organization has this name."] },
  });

/**
 * Registers an external MCP server (streamable HTTP). The URL must pass the guard against internal
 * addresses; the headers (bearer tokens and the like) are stored encrypted and only their names
 * are ever returned. Its tools are listed by `refreshMcpTools`.
 */
export async function createMcpServer(ctx: OrgContext, raw: CreateMcpServerInput): Promise<McpServerSummary> {
  requireScope(ctx, "integrations.manage");
  const input = parseWith(createMcpServerInput, raw);
  // DNS check outside the transaction: a slow resolver must not hold database locks.
  const url = await assertMcpUrl(input.url);
  const sealed = sealHeaders(Object.fromEntries(input.headers.map((h) => [h.name, h.value])));
  try {
    const row = await ctx.tx(async (tx) => {
      await assertOrgQuota(tx, {
        orgId: ctx.org.id,
        table: mcpServers,
        orgColumn: mcpServers.orgId,
        max: MAX_MCP_SERVERS,
        what: "MCP servers",
      });
      const [created] = await tx
        .insert(mcpServers)
        .values({
          orgId: ctx.org.id,
          name: input.name,
          url,
          headersEncrypted: sealed.encrypted,
          headerNames: sealed.names,
          enabled: input.enabled,
          createdById: ctx.user.id,
        })
        .returning();
      if (!created) throw new Error("mcp server insert returned nothing");
      await ctx.audit(tx, {
        action: "mcp_server.create",
        target: { type: "mcp_server", id: created.id },
        // The origin only: a URL may carry a token in its query.
        metadata: {
          name: input.name,
          origin: new URL(url).origin,
          headerNames: sealed.names,
          enabled: input.enabled,
        },
      });
      return created;
    });
    return toMcpServerSummary(row, []);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

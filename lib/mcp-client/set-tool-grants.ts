import { and, eq, inArray } from "drizzle-orm";
import { mcpToolGrants } from "@/db/schema";
import { loadAgentCatalog } from "@/lib/agents/org-agents";
import { parseWith } from "@/lib/api/input";
import { requireScope } from "@/lib/api-keys/key-context";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { type McpServerSummary, type SetToolGrantsInput, setToolGrantsInput } from "./schemas";
import { grantsOf, loadServer, toMcpServerSummary } from "./summary";

const invalid = (field: string, message: string) =>
  new AppError("validation", "Some fields are invalid.", { fieldErrors: { [field]: [message] } });

/**
 * Sets which of a server's tools one agent definition (built-in or the org's, by slug) is offered
 * during runs: exactly `toolNames`, replacing that agent's earlier grants on this server. Only
 * tools the server listed at its last refresh can be granted.
 */
export async function setToolGrants(ctx: OrgContext, raw: SetToolGrantsInput): Promise<McpServerSummary> {
  requireScope(ctx, "integrations.manage");
  const input = parseWith(setToolGrantsInput, raw);
  return ctx.tx(async (tx) => {
    const server = await loadServer(tx, ctx, input.serverId, true);
    const catalog = await loadAgentCatalog(tx, ctx.org.id);
    if (!catalog.has(input.agentSlug)) {
      throw invalid("agentSlug", `There is no agent "${input.agentSlug}" in this organization.`);
    }
    const listed = new Set(server.tools.map((t) => t.name));
    const unknown = input.toolNames.filter((n) => !listed.has(n));
    if (unknown.length) {
      throw invalid(
        "toolNames",
        `${server.name} did not list ${unknown.map((n) => `"${n}"`).join(", ")} (refresh its tools).`,
      );
    }
    const before = (await grantsOf(tx, ctx, server.id))
      .filter((g) => g.agentSlug === input.agentSlug)
      .map((g) => g.toolName);
    const removed = before.filter((n) => !input.toolNames.includes(n));
    const added = input.toolNames.filter((n) => !before.includes(n));
    if (removed.length) {
      await tx
        .delete(mcpToolGrants)
        .where(
          and(
            eq(mcpToolGrants.orgId, ctx.org.id),
            eq(mcpToolGrants.serverId, server.id),
            eq(mcpToolGrants.agentSlug, input.agentSlug),
            inArray(mcpToolGrants.toolName, removed),
          ),
        );
    }
    if (added.length) {
      await tx
        .insert(mcpToolGrants)
        .values(
          added.map((toolName) => ({
            orgId: ctx.org.id,
            serverId: server.id,
            toolName,
            agentSlug: input.agentSlug,
            createdById: ctx.user.id,
          })),
        )
        .onConflictDoNothing();
    }
    await ctx.audit(tx, {
      action: "mcp_grant.update",
      target: { type: "mcp_server", id: server.id },
      metadata: {
        server: server.name,
        agentSlug: input.agentSlug,
        toolNames: input.toolNames,
        added,
        removed,
      },
    });
    return toMcpServerSummary(server, await grantsOf(tx, ctx, server.id));
  });
}

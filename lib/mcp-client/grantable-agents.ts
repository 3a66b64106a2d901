import { loadAgentCatalog } from "@/lib/agents/org-agents";
import { requireScope } from "@/lib/api-keys/key-context";
import type { OrgContext } from "@/lib/orgs/context";

/** The agent definitions MCP tools can be granted to (built-in and the org's own, not archived). */
export async function listGrantableAgents(ctx: OrgContext): Promise<{ slug: string; name: string }[]> {
  requireScope(ctx, "integrations.manage");
  const catalog = await ctx.tx((tx) => loadAgentCatalog(tx, ctx.org.id));
  return [...catalog.values()]
    .map((a) => ({ slug: a.definition.slug, name: a.definition.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

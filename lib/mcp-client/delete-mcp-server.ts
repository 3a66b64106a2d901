import { and, eq } from "drizzle-orm";
import { mcpServers } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { requireScope } from "@/lib/api-keys/key-context";
import type { OrgContext } from "@/lib/orgs/context";
import { mcpServerIdInput } from "./schemas";
import { loadServer } from "./summary";

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Removes a server and, with it, every grant of its tools (runs stop offering them at once). */
export async function deleteMcpServer(ctx: OrgContext, raw: { id: string }): Promise<{ id: string }> {
  requireScope(ctx, "integrations.manage");
  const { id } = parseWith(mcpServerIdInput, raw);
  return ctx.tx(async (tx) => {
    const row = await loadServer(tx, ctx, id, true);
    await tx.delete(mcpServers).where(and(eq(mcpServers.orgId, ctx.org.id), eq(mcpServers.id, id)));
    await ctx.audit(tx, {
      action: "mcp_server.delete",
      target: { type: "mcp_server", id },
      metadata: { name: row.name, origin: originOf(row.url) },
    });
    return { id };
  });
}

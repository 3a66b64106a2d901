import { and, eq } from "drizzle-orm";
import type { McpToolInfo } from "@/db/schema";
import { mcpServers } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { requireScope } from "@/lib/api-keys/key-context";
import type { OrgContext } from "@/lib/orgs/context";
import { closeMcpClient, deadline, describeMcpError, type McpTarget, openMcpClient } from "./connect";
import { readHeaders } from "./headers";
import { MCP_LIMITS } from "./limits";
import { type McpServerSummary, mcpServerIdInput } from "./schemas";
import { grantsOf, loadServer, toMcpServerSummary } from "./summary";

const MAX_DESCRIPTION = 2000;
const MAX_SCHEMA_CHARS = 50_000;

function clip(text: string | undefined, max: number): string | undefined {
  if (!text) return undefined;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A tool as stored: what the model needs (name, description, input schema), bounded in size. */
function toToolInfo(tool: { name: string; title?: string; description?: string; inputSchema: unknown }) {
  const schema =
    tool.inputSchema && JSON.stringify(tool.inputSchema).length <= MAX_SCHEMA_CHARS
      ? tool.inputSchema
      : { type: "object", properties: {} };
  const info: McpToolInfo = { name: tool.name, inputSchema: schema };
  const title = clip(tool.title, 200);
  const description = clip(tool.description, MAX_DESCRIPTION);
  if (title) info.title = title;
  if (description) info.description = description;
  return info;
}

/**
 * Connects to the server and lists its tools (following pages), connecting and listing within
 * MCP_LIMITS.connectTimeoutMs. Throws `McpConnectionError` with a readable message.
 */
export async function listServerTools(target: McpTarget): Promise<McpToolInfo[]> {
  const { signal, clear } = deadline(MCP_LIMITS.connectTimeoutMs);
  try {
    const client = await openMcpClient(target, {
      signal,
      connectTimeoutMs: MCP_LIMITS.connectTimeoutMs,
      requestTimeoutMs: MCP_LIMITS.connectTimeoutMs,
    });
    try {
      const tools: McpToolInfo[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MCP_LIMITS.maxToolPages; page++) {
        const result = await client.listTools(cursor ? { cursor } : undefined, {
          signal,
          timeout: MCP_LIMITS.connectTimeoutMs,
        });
        for (const tool of result.tools) tools.push(toToolInfo(tool));
        cursor = result.nextCursor;
        if (!cursor || tools.length >= MCP_LIMITS.maxTools) break;
      }
      return tools.slice(0, MCP_LIMITS.maxTools);
    } finally {
      await closeMcpClient(client);
    }
  } catch (error) {
    throw describeMcpError(error, signal);
  } finally {
    clear();
  }
}

/**
 * Lists the server's tools now and stores them with the time, or stores the failure's message in
 * `lastError` (the tools listed before are kept, so grants keep working through a blip). Audited
 * either way. No database transaction is open while the server is contacted.
 */
export async function refreshMcpTools(ctx: OrgContext, raw: { id: string }): Promise<McpServerSummary> {
  requireScope(ctx, "integrations.manage");
  const { id } = parseWith(mcpServerIdInput, raw);
  const server = await ctx.tx((tx) => loadServer(tx, ctx, id));
  let tools: McpToolInfo[] | null = null;
  let failure: string | null = null;
  try {
    tools = await listServerTools({ url: server.url, headers: readHeaders(server.headersEncrypted) });
  } catch (error) {
    failure = describeMcpError(error).message;
  }
  return ctx.tx(async (tx) => {
    await loadServer(tx, ctx, id, true);
    const now = new Date();
    const [row] = await tx
      .update(mcpServers)
      .set(tools ? { tools, toolsRefreshedAt: now, lastError: null, updatedAt: now } : { lastError: failure })
      .where(and(eq(mcpServers.orgId, ctx.org.id), eq(mcpServers.id, id)))
      .returning();
    if (!row) throw new Error("mcp server update returned nothing");
    await ctx.audit(tx, {
      action: "mcp_server.refresh",
      target: { type: "mcp_server", id },
      metadata: tools
        ? { name: row.name, ok: true, tools: tools.map((t) => t.name) }
        : { name: row.name, ok: false, error: failure },
    });
    return toMcpServerSummary(row, await grantsOf(tx, ctx, id));
  });
}

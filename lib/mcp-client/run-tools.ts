import { type JSONSchema7, jsonSchema, type ToolSet, tool } from "ai";
import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { mcpServers, mcpToolGrants } from "@/db/schema";
import { callMcpTool } from "./call-tool";
import { readHeaders } from "./headers";
import { mcpToolName } from "./tool-names";

/** An MCP tool offered in a run, with where it lives (for tests and the feed). */
export type OfferedMcpTool = { offeredAs: string; serverId: string; serverName: string; toolName: string };

const OBJECT_SCHEMA: JSONSchema7 = { type: "object", properties: {} };

/** Providers want an object schema at the top; anything else is offered as a tool without input. */
function inputSchemaOf(schema: unknown): JSONSchema7 {
  if (!schema || typeof schema !== "object" || (schema as { type?: unknown }).type !== "object") {
    return OBJECT_SCHEMA;
  }
  const { $schema: _ignored, ...rest } = schema as JSONSchema7 & { $schema?: string };
  return { properties: {}, ...rest };
}

/**
 * The MCP tools granted to `agentSlug` in the organization, from its enabled servers, as AI SDK
 * tools beside the built-in ones. Read afresh at each model call (a retried step re-reads the
 * grants); only tools the server listed at its last refresh are offered. Each call connects
 * through the guarded fetch, with the time limits of MCP_LIMITS, and a failing, slow or dead
 * server gives the model `{ error: "The tool failed: …" }` instead of failing the run. The calls
 * and results reach the run's feed as every tool's do (agent.tool-call / agent.tool-result).
 */
export async function loadMcpRunTools(args: {
  orgId: string;
  agentSlug: string;
  /** Names already offered (the built-in tools), never reused. */
  reserved?: Iterable<string>;
}): Promise<{ tools: ToolSet; offered: OfferedMcpTool[] }> {
  const rows = await withTenant({ orgId: args.orgId }, (tx) =>
    tx
      .select({ server: mcpServers, toolName: mcpToolGrants.toolName })
      .from(mcpToolGrants)
      .innerJoin(
        mcpServers,
        and(eq(mcpServers.orgId, mcpToolGrants.orgId), eq(mcpServers.id, mcpToolGrants.serverId)),
      )
      .where(
        and(
          eq(mcpToolGrants.orgId, args.orgId),
          eq(mcpToolGrants.agentSlug, args.agentSlug),
          eq(mcpServers.enabled, true),
        ),
      )
      .orderBy(mcpServers.name, mcpToolGrants.toolName),
  );
  const taken = new Set(args.reserved ?? []);
  const tools: ToolSet = {};
  const offered: OfferedMcpTool[] = [];
  const headersOf = new Map<string, Record<string, string> | null>();
  for (const { server, toolName } of rows) {
    const info = server.tools.find((t) => t.name === toolName);
    if (!info) continue;
    if (!headersOf.has(server.id)) {
      try {
        headersOf.set(server.id, readHeaders(server.headersEncrypted));
      } catch {
        console.warn(`[mcp] headers of server ${server.id} cannot be decrypted; its tools are not offered`);
        headersOf.set(server.id, null);
      }
    }
    const headers = headersOf.get(server.id);
    if (!headers) continue;
    const name = mcpToolName(server.name, toolName, taken);
    taken.add(name);
    const target = { url: server.url, headers };
    const description = [
      `Tool "${toolName}" of the external MCP server "${server.name}".`,
      info.title && info.title !== toolName ? info.title : null,
      info.description ?? null,
    ]
      .filter(Boolean)
      .join(" ");
    tools[name] = tool({
      description: description.slice(0, 2000),
      inputSchema: jsonSchema<Record<string, unknown>>(inputSchemaOf(info.inputSchema)),
      execute: async (input, { abortSignal }) => {
        const outcome = await callMcpTool(
          target,
          toolName,
          input && typeof input === "object" ? input : {},
          abortSignal,
        );
        if (outcome.ok) return outcome.text;
        return { error: `The tool failed: ${outcome.error}` };
      },
    });
    offered.push({ offeredAs: name, serverId: server.id, serverName: server.name, toolName });
  }
  return { tools, offered };
}

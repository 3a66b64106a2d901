import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { assertNoNul } from "@/lib/api/input";
import { requireScope } from "@/lib/api-keys/key-context";
import type { Permission } from "@/lib/auth/permissions";
import { AppError, validationError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";

/**
 * One MCP tool: its input as a zod shape (the SDK validates it and publishes it as JSON Schema),
 * the permission an API key needs for it (the same scope as the REST endpoint doing the same
 * thing), and what it does through the lib verbs. The result is an object: sent as JSON text and
 * as structured content.
 */
/** What a tool knows of the request besides the org context. */
export type ToolCall = {
  /** The app's origin (lib/app-origin.ts), for absolute URLs such as a clone URL. */
  appOrigin: string;
};

export type McpTool<S extends z.ZodRawShape = z.ZodRawShape> = {
  name: string;
  title: string;
  description: string;
  permission: Permission;
  input: S;
  /** Reads only (the MCP `readOnlyHint`). */
  readOnly: boolean;
  run: (ctx: OrgContext, input: z.infer<z.ZodObject<S>>, call: ToolCall) => Promise<Record<string, unknown>>;
};

export function defineTool<S extends z.ZodRawShape>(tool: McpTool<S>): McpTool<S> {
  return tool;
}

/** What a client sees when a tool fails: the app's own message, never internals. */
export function toolError(error: unknown): CallToolResult {
  let message: string;
  if (error instanceof z.ZodError) error = validationError(error);
  if (error instanceof AppError) {
    const fields = Object.entries(error.fieldErrors ?? {})
      .map(([f, m]) => [f, m.filter((text) => text !== error.message)] as const)
      .filter(([, m]) => m.length > 0)
      .map(([f, m]) => `${f}: ${m.join(" ")}`);
    message = fields.length ? `${error.message} ${fields.join("; ")}` : error.message;
  } else {
    console.error("[mcp] tool failed", error);
    message = "Something went wrong. Please try again.";
  }
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Checks the key's scope, runs the tool, and answers with its result or a tool error. */
export async function callTool(
  ctx: OrgContext,
  call: ToolCall,
  tool: McpTool,
  input: Record<string, unknown>,
): Promise<CallToolResult> {
  try {
    requireScope(ctx, tool.permission);
    // Postgres text cannot hold U+0000: refused naming the field, as every other input is.
    assertNoNul(input);
    const result = await tool.run(ctx, input, call);
    return {
      content: [{ type: "text", text: JSON.stringify(result, null, 2) }],
      structuredContent: result,
    };
  } catch (error) {
    return toolError(error);
  }
}

export function registerTools(
  server: McpServer,
  ctx: OrgContext,
  call: ToolCall,
  tools: readonly McpTool[],
): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: `${tool.description} Needs the "${tool.permission}" scope.`,
        inputSchema: tool.input,
        annotations: {
          title: tool.title,
          readOnlyHint: tool.readOnly,
          destructiveHint: false,
          openWorldHint: false,
        },
      },
      (args: Record<string, unknown>) => callTool(ctx, call, tool, args),
    );
  }
}

import { closeMcpClient, deadline, describeMcpError, type McpTarget, openMcpClient } from "./connect";
import { MCP_LIMITS } from "./limits";

/** What a tool call gives the model: the result's text, or why it failed. Never thrown. */
export type McpCallOutcome = { ok: true; text: string; truncated: boolean } | { ok: false; error: string };

type ContentPart = {
  type: string;
  text?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
};

/** The text of a CallToolResult: its text parts, resources' text, placeholders for binary parts. */
export function resultText(result: { content?: unknown; structuredContent?: unknown }): string {
  const parts = Array.isArray(result.content) ? (result.content as ContentPart[]) : [];
  const texts = parts.map((part) => {
    switch (part.type) {
      case "text":
        return part.text ?? "";
      case "resource":
        return part.resource?.text ?? `[resource ${part.resource?.uri ?? ""}]`;
      case "resource_link":
        return `[link ${part.name ?? ""} ${part.uri ?? ""}]`.replace(/\s+]/, "]");
      case "image":
      case "audio":
        return `[${part.type} ${part.mimeType ?? ""} omitted]`.replace(/\s+omitted/, " omitted");
      default:
        return `[${part.type} omitted]`;
    }
  });
  const text = texts.join("\n").trim();
  if (text) return text;
  return result.structuredContent === undefined ? "" : JSON.stringify(result.structuredContent);
}

function truncate(text: string): { text: string; truncated: boolean } {
  const max = MCP_LIMITS.maxResultChars;
  if (text.length <= max) return { text, truncated: false };
  return { text: `${text.slice(0, max)}\n… (cut at ${max} characters)`, truncated: true };
}

/**
 * Connects (guarded fetch, within MCP_LIMITS.connectTimeoutMs) and calls one tool within
 * MCP_LIMITS.callTimeoutMs, or sooner when `signal` (the run's) aborts. Whatever fails — refused
 * URL, dead or slow server, an error the tool reports — comes back as `{ ok: false }`.
 */
export async function callMcpTool(
  target: McpTarget,
  toolName: string,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<McpCallOutcome> {
  const limit = deadline(MCP_LIMITS.callTimeoutMs, signal);
  try {
    const client = await openMcpClient(target, {
      signal: limit.signal,
      connectTimeoutMs: MCP_LIMITS.connectTimeoutMs,
      requestTimeoutMs: MCP_LIMITS.callTimeoutMs,
    });
    try {
      const result = await client.callTool({ name: toolName, arguments: args }, undefined, {
        signal: limit.signal,
        timeout: MCP_LIMITS.callTimeoutMs,
      });
      const text = resultText(result as { content?: unknown; structuredContent?: unknown });
      if (result.isError) return { ok: false, error: truncate(text || "the tool reported an error").text };
      return { ok: true, ...truncate(text) };
    } finally {
      await closeMcpClient(client);
    }
  } catch (error) {
    return { ok: false, error: describeMcpError(error, limit.signal).message };
  } finally {
    limit.clear();
  }
}

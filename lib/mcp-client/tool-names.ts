import { createHash } from "node:crypto";

/** Providers accept tool names of [A-Za-z0-9_-], at most 64 characters (OpenAI's and Anthropic's rule). */
export const MAX_TOOL_NAME = 64;
export const MCP_TOOL_PREFIX = "mcp__";

const clean = (text: string) =>
  text
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/_{2,}/g, "_")
    .replace(/^_+|_+$/g, "") || "x";

const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 6);

/**
 * The name a server's tool is offered under: `mcp__<server>__<tool>`, in the providers' charset
 * and length; a long or colliding name is shortened with a hash of the original, so it stays
 * unique and stable across calls.
 */
export function mcpToolName(serverName: string, toolName: string, taken: ReadonlySet<string> = new Set()) {
  const full = `${MCP_TOOL_PREFIX}${clean(serverName)}__${clean(toolName)}`;
  if (full.length <= MAX_TOOL_NAME && !taken.has(full)) return full;
  const hash = shortHash(`${serverName}\u0000${toolName}`);
  const server = clean(serverName).slice(0, 16);
  const room = MAX_TOOL_NAME - MCP_TOOL_PREFIX.length - server.length - 2 - hash.length - 1;
  return `${MCP_TOOL_PREFIX}${server}__${clean(toolName).slice(0, room)}_${hash}`;
}

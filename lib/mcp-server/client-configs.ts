/**
 * Copyable configurations that connect an IDE agent to the MCP server (README "Connect an IDE
 * agent (MCP)", and the API keys page). Pure: safe to import in client components.
 */
export const MCP_SERVER_KEY = "dafnck";
export const MCP_PATH = "/api/mcp";

export type McpClientId = "cursor" | "claude-code" | "vscode";

export type McpClientConfig = {
  client: McpClientId;
  label: string;
  /** Where the snippet goes: a file in the project, or a terminal. */
  where: string;
  language: "json" | "shell";
  snippet: string;
};

export function mcpEndpoint(appUrl: string): string {
  return `${appUrl.trim().replace(/\/+$/, "")}${MCP_PATH}`;
}

/** Inside double quotes in a POSIX shell these keep their meaning, so they are escaped. */
const shellDoubleQuoted = (s: string) => s.replace(/["\\$`]/g, (c) => `\\${c}`);

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The configurations for Cursor, Claude Code and VS Code, with the key (a placeholder such as
 * `dmk_…`, or a secret just created) in the `Authorization: Bearer` header.
 */
export function mcpClientConfigs(appUrl: string, keyPlaceholderOrSecret: string): McpClientConfig[] {
  const url = mcpEndpoint(appUrl);
  const authorization = `Bearer ${keyPlaceholderOrSecret}`;
  return [
    {
      client: "cursor",
      label: "Cursor",
      where: ".cursor/mcp.json (or ~/.cursor/mcp.json for every project)",
      language: "json",
      snippet: json({ mcpServers: { [MCP_SERVER_KEY]: { url, headers: { Authorization: authorization } } } }),
    },
    {
      client: "claude-code",
      label: "Claude Code",
      where: "a terminal in your project",
      language: "shell",
      snippet: `claude mcp add --transport http ${MCP_SERVER_KEY} ${url} --header "${shellDoubleQuoted(`Authorization: ${authorization}`)}"\n`,
    },
    {
      client: "vscode",
      label: "VS Code",
      where: ".vscode/mcp.json",
      language: "json",
      snippet: json({
        servers: { [MCP_SERVER_KEY]: { type: "http", url, headers: { Authorization: authorization } } },
      }),
    },
  ];
}

import { describe, expect, it } from "vitest";
import { mcpClientConfigs, mcpEndpoint } from "./client-configs";

describe("mcpClientConfigs", () => {
  it("gives Cursor, Claude Code and VS Code the endpoint and the key as a Bearer header", () => {
    const [cursor, claude, vscode] = mcpClientConfigs("https://dm.example.com/", "dmk_abc_123");
    expect(JSON.parse(cursor?.snippet ?? "")).toEqual({
      mcpServers: {
        dafnck: { url: "https://dm.example.com/api/mcp", headers: { Authorization: "Bearer dmk_abc_123" } },
      },
    });
    expect(claude?.snippet).toBe(
      'claude mcp add --transport http dafnck https://dm.example.com/api/mcp --header "Authorization: Bearer dmk_abc_123"\n',
    );
    expect(JSON.parse(vscode?.snippet ?? "")).toEqual({
      servers: {
        dafnck: {
          type: "http",
          url: "https://dm.example.com/api/mcp",
          headers: { Authorization: "Bearer dmk_abc_123" },
        },
      },
    });
  });

  it("keeps a placeholder literal in the shell command", () => {
    const claude = mcpClientConfigs("http://localhost:3000", 'dmk_"$(id)`x`')[1];
    expect(claude?.snippet).toContain('--header "Authorization: Bearer dmk_\\"\\$(id)\\`x\\`"');
    expect(mcpEndpoint(" http://localhost:3000// ")).toBe("http://localhost:3000/api/mcp");
  });
});

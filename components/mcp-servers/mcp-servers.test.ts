import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { McpServerSummary } from "@/lib/mcp-client/schemas";
import { McpServerCard } from "./mcp-server-card";
import { McpServerForm } from "./mcp-server-form";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {}, push: () => {} }) }));

const server: McpServerSummary = {
  id: "7f1d2c3b-0000-4000-8000-000000000001",
  name: "Tickets",
  url: "https://mcp.example.com/mcp",
  enabled: true,
  headerNames: ["Authorization"],
  tools: [
    { name: "lookup_ticket", description: "Looks up a ticket.", inputSchema: { type: "object" } },
    { name: "slow_report", inputSchema: { type: "object" } },
  ],
  toolsRefreshedAt: "2026-12-04T20:00:00.000Z",
  lastError: "The server refused the credentials (HTTP 401). Check the headers.",
  grants: { lookup_ticket: ["system-architect"] },
  createdAt: "2026-12-04T19:00:00.000Z",
  updatedAt: "2026-12-04T20:00:00.000Z",
};
const agents = [
  { slug: "system-architect", name: "System Architect" },
  { slug: "reviewer", name: "Reviewer" },
];

const render = (node: ReturnType<typeof createElement>) =>
  renderToString(createElement(QueryClientProvider, { client: new QueryClient() }, node));

describe("MCP server settings components", () => {
  it("shows a server's state, its last error and a grants grid of agents × tools", () => {
    const html = render(createElement(McpServerCard, { orgSlug: "acme", server, agents }));
    for (const text of [
      "Tickets",
      "https://mcp.example.com/mcp",
      "2 tools",
      "headers: Authorization",
      "HTTP 401",
    ]) {
      expect(html).toContain(text);
    }
    const boxes = [...html.matchAll(/<button[^>]*role="checkbox"[^>]*>/g)].map((m) => m[0]);
    expect(boxes).toHaveLength(4);
    const checked = boxes.filter((b) => b.includes('aria-checked="true"'));
    expect(checked).toHaveLength(1);
    expect(checked[0]).toContain("Offer lookup_ticket to System Architect");
  });

  it("edits headers as rows whose stored values are never filled in", () => {
    const html = render(createElement(McpServerForm, { orgSlug: "acme", server }));
    expect(html).toContain('value="Authorization"');
    expect(html).toContain("leave blank to keep");
    const valueInput = /<input[^>]*aria-label="Header 1 value"[^>]*>/.exec(html)?.[0] ?? "";
    expect(valueInput).toContain('type="password"');
    expect(valueInput).toContain('value=""');
  });
});

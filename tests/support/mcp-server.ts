import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export type TestMcpServer = {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp */
  url: string;
  /** Every tools/call the server received: tool name and arguments. */
  calls: { name: string; args: Record<string, unknown> }[];
  /** The headers of every HTTP request, lower-cased names. */
  requests: IncomingMessage["headers"][];
  /** Open sessions of a stateful server. */
  sessions: () => number;
  stop: () => Promise<void>;
};

/**
 * A real MCP server (the SDK's McpServer over streamable HTTP) on 127.0.0.1:0 with two tools:
 * `lookup_ticket` echoes the ticket it is asked for, `slow_report` answers after `slowMs`. With
 * `bearer`, requests without `Authorization: Bearer <bearer>` get 401. `stateful` keeps a session
 * per client (Mcp-Session-Id, the GET event stream, DELETE) and answers over SSE, as many deployed
 * servers do; otherwise (stateless) each POST is answered alone, in JSON.
 */
export async function startMcpServer(
  opts: { bearer?: string; slowMs?: number; stateful?: boolean } = {},
): Promise<TestMcpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const calls: TestMcpServer["calls"] = [];
  const requests: TestMcpServer["requests"] = [];
  const slowMs = opts.slowMs ?? 5_000;

  const build = () => {
    const mcp = new McpServer({ name: "test-tickets", version: "1.0.0" });
    mcp.registerTool(
      "lookup_ticket",
      {
        title: "Look up a ticket",
        description: "Returns the status of a support ticket by its id.",
        inputSchema: { ticketId: z.string().describe("The ticket id, e.g. T-1") },
      },
      async ({ ticketId }) => {
        calls.push({ name: "lookup_ticket", args: { ticketId } });
        return { content: [{ type: "text", text: `Ticket ${ticketId}: open, priority high, owner Dana.` }] };
      },
    );
    mcp.registerTool(
      "slow_report",
      {
        description: "Builds a report slowly.",
        inputSchema: { topic: z.string() },
      },
      async ({ topic }) => {
        calls.push({ name: "slow_report", args: { topic } });
        await new Promise((r) => setTimeout(r, slowMs));
        return { content: [{ type: "text", text: `Report on ${topic}.` }] };
      },
    );
    return mcp;
  };

  const server = createServer(async (req, res) => {
    requests.push(req.headers);
    if (opts.bearer && req.headers.authorization !== `Bearer ${opts.bearer}`) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
      return;
    }
    if (!req.url?.startsWith("/mcp")) {
      res.writeHead(404).end();
      return;
    }
    if (opts.stateful) {
      const id = req.headers["mcp-session-id"];
      const existing = typeof id === "string" ? sessions.get(id) : undefined;
      if (existing) {
        await existing.handleRequest(req, res);
        return;
      }
      if (req.method !== "POST") {
        res.writeHead(400).end();
        return;
      }
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => {
          sessions.set(sid, transport);
        },
        onsessionclosed: (sid) => {
          sessions.delete(sid);
        },
      });
      await build().connect(transport);
      await transport.handleRequest(req, res);
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const mcp = build();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    requests,
    sessions: () => sessions.size,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

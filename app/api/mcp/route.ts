import { handleMcpRequest } from "@/lib/mcp-server/handle-request";

/** The MCP server for IDE agents (lib/mcp-server): streamable HTTP, authenticated with an org API key. */
export const POST = handleMcpRequest;
export const GET = handleMcpRequest;
export const DELETE = handleMcpRequest;

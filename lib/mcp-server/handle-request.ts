import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { orgPolicyOf } from "@/lib/api/v1/rate-limits";
import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { presentedApiKey } from "@/lib/api-keys/credentials";
import { apiKeyContext } from "@/lib/api-keys/key-context";
import { resolveAppOrigin } from "@/lib/app-origin";
import { env } from "@/lib/env";
import { AppError, toResponse } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { enforceLimit } from "@/lib/rate-limit/enforce";
import { metaFromHeaders } from "@/lib/request-meta";
import { createMcpServer } from "./server";

/** A JSON-RPC batch of tool calls stays far below this; the SDK answers 413 past it. */
const MAX_BODY_BYTES = 1024 * 1024;

function refuse(error: unknown): Response {
  const response = toResponse(error);
  if (error instanceof AppError && error.code === "unauthenticated") {
    response.headers.set("www-authenticate", 'Bearer realm="DafnckMachine"');
  }
  return response;
}

/**
 * `/api/mcp`: the Model Context Protocol over streamable HTTP. Every request is authenticated
 * with an org API key (401 before anything is parsed) and counted against the key's rate limit
 * and its organization's plan limit (shared with /api/v1);
 * then a fresh stateless server and transport answer it with JSON. There are no sessions, so
 * there is no server-to-client stream to open (GET) or session to end (DELETE): both are 405,
 * which clients take as "not offered".
 */
export async function handleMcpRequest(req: Request): Promise<Response> {
  let ctx: OrgContext;
  try {
    const presented = presentedApiKey(req.headers);
    if (!presented) throw new AppError("unauthenticated", "Send an org API key: Authorization: Bearer dmk_…");
    const meta = metaFromHeaders(req.headers);
    const principal = await authenticateApiKey(presented, meta);
    ctx = apiKeyContext(principal, meta);
    // The key's own budget, and the organization's plan budget it shares with the REST API.
    await enforceLimit("mcp.key", principal.key.id);
    await enforceLimit(orgPolicyOf(principal.org.plan), principal.org.id);
  } catch (error) {
    return refuse(error);
  }
  if (req.method !== "POST") {
    return Response.json(
      {
        jsonrpc: "2.0",
        error: { code: -32000, message: "Method not allowed: this server is stateless; POST messages." },
        id: null,
      },
      { status: 405, headers: { allow: "POST" } },
    );
  }
  const server = createMcpServer(ctx, { appOrigin: resolveAppOrigin(env(), req.headers) });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    maxRequestBodySize: MAX_BODY_BYTES,
  });
  try {
    await server.connect(transport);
    return await transport.handleRequest(req);
  } catch (error) {
    return toResponse(error);
  } finally {
    await server.close().catch(() => {});
  }
}

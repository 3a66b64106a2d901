import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { UNREACHABLE_MESSAGE, UnreachableUrlError } from "@/lib/net/vet-url";
import { MCP_LIMITS } from "./limits";
import { mcpUrlPolicy } from "./url";

/** Where to connect: the server's URL and its (decrypted) headers. */
export type McpTarget = { url: string; headers: Record<string, string> };

/** A failure to talk to the server, with a message an admin or a model can read (no stack, no internals). */
export class McpConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "McpConnectionError";
  }
}

const GUARD_MARGIN_MS = 1_000;
const CLIENT_INFO = { name: "dafnckmachine", version: "1.0.0" };

/**
 * Connects the official SDK client over streamable HTTP. Every request of the transport goes
 * through the guarded fetch, so the URL is checked against internal addresses at each connection
 * (and at each redirect), the answer is bounded in time and size, and `signal` aborts it all.
 */
export async function openMcpClient(
  target: McpTarget,
  opts: { signal: AbortSignal; connectTimeoutMs: number; requestTimeoutMs: number },
): Promise<Client> {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new McpConnectionError("The server's URL is not valid.");
  }
  const transport = new StreamableHTTPClientTransport(url, {
    // The guard's own limits sit just past the caller's deadline, so a slow server is reported
    // as slow (the deadline's reason) rather than as unreachable.
    fetch: createGuardedFetch({
      ...mcpUrlPolicy(),
      timeoutMs: opts.requestTimeoutMs + GUARD_MARGIN_MS,
      bodyIdleTimeoutMs: opts.requestTimeoutMs + GUARD_MARGIN_MS,
      maxBytes: MCP_LIMITS.maxBytes,
    }),
    // The transport aborts its own requests on close; `signal` bounds each SDK request (below and
    // in the callers), and the callers close the client in a finally.
    requestInit: { headers: target.headers },
    // A dropped stream is not reconnected: each use is one short connection.
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  });
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  // The transport reports stream errors here too; the request that failed reports its own.
  client.onerror = () => {};
  try {
    await client.connect(transport, { signal: opts.signal, timeout: opts.connectTimeoutMs });
  } catch (error) {
    await client.close().catch(() => {});
    throw describeMcpError(error, opts.signal);
  }
  return client;
}

/** Closes the client (and its session, when the server keeps one) without waiting long or throwing. */
export async function closeMcpClient(client: Client): Promise<void> {
  const transport = client.transport as StreamableHTTPClientTransport | undefined;
  await Promise.race([
    (async () => {
      if (transport?.sessionId) await transport.terminateSession().catch(() => {});
      await client.close().catch(() => {});
    })(),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ]);
}

function find<T>(error: unknown, match: (e: unknown) => e is T): T | null {
  let current: unknown = error;
  for (let i = 0; i < 6 && current; i++) {
    if (match(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** One readable sentence for whatever went wrong talking to an MCP server. */
export function describeMcpError(error: unknown, signal?: AbortSignal): McpConnectionError {
  if (error instanceof McpConnectionError) return error;
  const reason = signal?.aborted ? signal.reason : undefined;
  if (reason instanceof McpConnectionError) return reason;
  if (find(error, (e): e is UnreachableUrlError => e instanceof UnreachableUrlError)) {
    return new McpConnectionError(UNREACHABLE_MESSAGE);
  }
  const http = find(error, (e): e is StreamableHTTPError => e instanceof StreamableHTTPError);
  if (http) {
    if (http.code === 401 || http.code === 403) {
      return new McpConnectionError(
        `The server refused the credentials (HTTP ${http.code}). Check the headers.`,
      );
    }
    if (http.code === 404) return new McpConnectionError("The server answered HTTP 404: check the URL.");
    if (http.code && http.code >= 300 && http.code < 400) {
      return new McpConnectionError(
        `The server redirected elsewhere (HTTP ${http.code}): register the URL it redirects to.`,
      );
    }
    return new McpConnectionError(
      http.code ? `The server answered HTTP ${http.code}.` : "The server's answer was not understood.",
    );
  }
  const mcp = find(error, (e): e is McpError => e instanceof McpError);
  if (mcp?.code === ErrorCode.RequestTimeout)
    return new McpConnectionError("The server did not answer in time.");
  if (mcp) return new McpConnectionError(`The server reported an error: ${oneLine(mcp.message)}`);
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "AbortError" || name === "TimeoutError" || signal?.aborted) {
    return new McpConnectionError("The server did not answer in time.");
  }
  return new McpConnectionError("Could not talk to the MCP server (is it a streamable HTTP MCP endpoint?).");
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** A signal that aborts after `ms` (with a readable reason), or when `outer` aborts. */
export function deadline(ms: number, outer?: AbortSignal): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new McpConnectionError(`The server did not answer within ${Math.round(ms / 1000)} s.`),
      ),
    ms,
  );
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  return { signal, clear: () => clearTimeout(timer) };
}

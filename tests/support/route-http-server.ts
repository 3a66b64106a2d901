import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

type Handler = (req: Request) => Promise<Response>;

/**
 * Serves Next route handlers (Fetch Request in, Response out) on a real HTTP server on
 * 127.0.0.1:0, so a real client (an SDK, git, fetch) talks to them over the network as in the app.
 */
export async function serveRouteHandlers(
  routes: Record<string, Partial<Record<string, Handler>>>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (nodeReq, nodeRes) => {
    try {
      const url = new URL(nodeReq.url ?? "/", "http://127.0.0.1");
      const handler = routes[url.pathname]?.[nodeReq.method ?? "GET"];
      if (!handler) {
        nodeRes.writeHead(routes[url.pathname] ? 405 : 404).end();
        return;
      }
      const res = await handler(toRequest(nodeReq, url));
      res.headers.forEach((value, name) => {
        if (name !== "set-cookie") nodeRes.setHeader(name, value);
      });
      const cookies = res.headers.getSetCookie();
      if (cookies.length) nodeRes.setHeader("set-cookie", cookies);
      nodeRes.writeHead(res.status);
      if (!res.body) {
        nodeRes.end();
        return;
      }
      Readable.fromWeb(res.body as import("node:stream/web").ReadableStream).pipe(nodeRes);
    } catch (error) {
      console.error("[route-http-server]", error);
      if (!nodeRes.headersSent) nodeRes.writeHead(500);
      nodeRes.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function toRequest(nodeReq: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(nodeReq.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = nodeReq.method !== "GET" && nodeReq.method !== "HEAD";
  return new Request(url, {
    method: nodeReq.method,
    headers,
    body: hasBody ? (Readable.toWeb(nodeReq) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body; lib.dom does not know it.
    duplex: hasBody ? "half" : undefined,
  });
}

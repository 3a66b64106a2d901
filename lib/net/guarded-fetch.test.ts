import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { classifyAddress } from "./classify-address";
import { createGuardedFetch, reachedPublicAddress } from "./guarded-fetch";
import { UNREACHABLE_MESSAGE, UnreachableUrlError } from "./vet-url";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];
const hits: string[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    hits.push(`${(server.address() as AddressInfo).port}${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let plain: string;
let closedPort: string;
beforeAll(async () => {
  plain = await serve((_req, res) => res.end("hello"));
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedPort = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const lan = createGuardedFetch({ allowHttp: true, allowPrivate: true });
const strict = createGuardedFetch({ allowHttp: true, allowPrivate: false });
/** Treats the first hop as public (as if the URL named a public server) and checks later hops. */
const firstHopPublic = (options = {}) =>
  createGuardedFetch({
    allowHttp: true,
    allowPrivate: false,
    classify: (address, hop) => (hop === 0 ? "public" : classifyAddress(address)),
    ...options,
  });

async function messageOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e) => e,
  );
  expect(error).toBeInstanceOf(UnreachableUrlError);
  return (error as Error).message;
}

describe("guarded fetch", () => {
  it("fetches an allowed address and tags whether it was public", async () => {
    const res = await lan(`${plain}/x`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("hello");
    expect(reachedPublicAddress(res)).toBe(false);
    const viaPublic = await firstHopPublic()(`${plain}/y`);
    expect(reachedPublicAddress(viaPublic)).toBe(true);
  });

  it("refuses internal addresses before connecting, with one message whatever answers there", async () => {
    const before = hits.length;
    const open = await messageOf(strict(`${plain}/admin`));
    const closed = await messageOf(strict(`${closedPort}/admin`));
    expect(open).toBe(UNREACHABLE_MESSAGE);
    expect(closed).toBe(open);
    expect(hits.length).toBe(before);
    for (const url of ["http://[::1]/", "http://2130706433/", "http://0x7f.1/", "http://localhost/"]) {
      expect(await messageOf(strict(url))).toBe(UNREACHABLE_MESSAGE);
    }
  });

  it("gives the same message for a closed port as for an open one when private addresses are allowed", async () => {
    const broken = await serve((req) => req.socket.destroy());
    expect(await messageOf(lan(`${closedPort}/`))).toBe(UNREACHABLE_MESSAGE);
    expect(await messageOf(lan(`${broken}/`))).toBe(UNREACHABLE_MESSAGE);
  });

  it("re-checks every redirect: a public first hop may not send the request inside", async () => {
    const secret = await serve((_req, res) => res.end("internal secret"));
    const redirector = await serve((req, res) => {
      const to = req.url === "/meta" ? "http://169.254.169.254/latest/meta-data/" : `${secret}/secret`;
      res.writeHead(302, { location: to }).end();
    });
    const before = hits.filter((h) => h.endsWith("/secret")).length;
    expect(await messageOf(firstHopPublic()(`${redirector}/go`))).toBe(UNREACHABLE_MESSAGE);
    expect(hits.filter((h) => h.endsWith("/secret")).length).toBe(before);
    // Even with private addresses allowed, link-local (cloud metadata) stays out of reach.
    expect(await messageOf(lan(`${redirector}/meta`))).toBe(UNREACHABLE_MESSAGE);
  });

  it("follows allowed redirects, at most 3, and drops credentials when the origin changes", async () => {
    let seenAuth: string | undefined = "unset";
    const target = await serve((req, res) => {
      seenAuth = req.headers.authorization;
      res.end(`method=${req.method}`);
    });
    const hop = await serve((req, res) => {
      if (req.url === "/loop") res.writeHead(302, { location: "/loop" }).end();
      else res.writeHead(303, { location: `${target}/done` }).end();
    });
    const res = await lan(`${hop}/start`, {
      method: "POST",
      body: "x=1",
      headers: { authorization: "Bearer org-key" },
    });
    expect(await res.text()).toBe("method=GET");
    expect(seenAuth).toBeUndefined();
    expect(await messageOf(lan(`${hop}/loop`))).toBe(UNREACHABLE_MESSAGE);
    // redirect: "manual" (what Auth.js asks for) hands back the 3xx itself.
    const manual = await lan(`${hop}/loop`, { redirect: "manual" });
    expect(manual.status).toBe(302);
    expect(await messageOf(lan(`${hop}/loop`, { redirect: "error" }))).toBe(UNREACHABLE_MESSAGE);
  });

  it("connects only to the address it checked (one lookup; no second answer can rebind it)", async () => {
    const calls: string[] = [];
    const lookup = async (host: string) => {
      calls.push(host);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const port = new URL(plain).port;
    const pinned = createGuardedFetch({ allowHttp: true, allowPrivate: true, lookup });
    const res = await pinned(`http://rebind.invalid:${port}/pinned`);
    expect(await res.text()).toBe("hello");
    expect(calls).toEqual(["rebind.invalid"]);
    const publicThenPrivate = createGuardedFetch({
      allowHttp: true,
      lookup: async () => [
        { address: "93.184.215.14", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ],
    });
    expect(await messageOf(publicThenPrivate(`http://mixed.invalid:${port}/`))).toBe(UNREACHABLE_MESSAGE);
  });

  it("bounds the time to the response headers", async () => {
    const silent = await serve(() => {});
    const quick = createGuardedFetch({ allowHttp: true, allowPrivate: true, timeoutMs: 200 });
    const started = Date.now();
    expect(await messageOf(quick(`${silent}/`))).toBe(UNREACHABLE_MESSAGE);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("bounds a name lookup that never answers", async () => {
    const hanging = createGuardedFetch({ lookup: () => new Promise(() => {}) });
    const started = Date.now();
    expect(await messageOf(hanging("https://slow-dns.invalid/"))).toBe(UNREACHABLE_MESSAGE);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("bounds a silent body and the body size, while streams still stream", async () => {
    const stream = await serve((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      if (req.url === "/stall") return;
      if (req.url === "/big") {
        res.end("x".repeat(4096));
        return;
      }
      setTimeout(() => res.end("data: last\n\n"), 300);
    });
    const guarded = createGuardedFetch({
      allowHttp: true,
      allowPrivate: true,
      maxBytes: 1024,
      bodyIdleTimeoutMs: 200,
    });

    const live = await guarded(`${stream}/sse`);
    if (!live.body) throw new Error("no body");
    const reader = live.body.getReader();
    const started = Date.now();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    expect(Date.now() - started).toBeLessThan(250);
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toBe("data: last\n\n");

    expect(await messageOf((await guarded(`${stream}/big`)).text())).toBe(UNREACHABLE_MESSAGE);
    expect(await messageOf((await guarded(`${stream}/stall`)).text())).toBe(UNREACHABLE_MESSAGE);
    const declared = await serve((_req, res) =>
      res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000)),
    );
    expect(await messageOf(guarded(`${declared}/`))).toBe(UNREACHABLE_MESSAGE);
  });

  it("keeps the caller's abort as an abort", async () => {
    const silent = await serve(() => {});
    const controller = new AbortController();
    const pending = lan(`${silent}/`, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});

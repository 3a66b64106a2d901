import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** An http server on loopback that answers every request with a redirect to `location`. */
export async function startRedirectServer(
  location: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(302, { location }).end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

/** URLs that name the machine itself, in spellings a naive check misses. */
export const INTERNAL_URLS = ["http://127.0.0.1:5432", "http://[::1]/", "http://2130706433/"];
/** Cloud metadata: refused even when ALLOW_PRIVATE_NETWORK_URLS lets loopback through. */
export const METADATA_URL = "http://169.254.169.254/latest/meta-data/";

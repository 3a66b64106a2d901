import { env } from "@/lib/env";
import { assertPublicUrl } from "@/lib/net/assert-public-url";

/**
 * The rule for MCP server URLs, the same as for webhook endpoints: https and public addresses
 * only; `ALLOW_PRIVATE_NETWORK_URLS` (development, self-hosting on a private network, tests) also
 * allows http:// and loopback/LAN servers. Plain http to a public host would send the stored
 * bearer headers in clear.
 */
export function mcpUrlPolicy() {
  const allowPrivate = env().ALLOW_PRIVATE_NETWORK_URLS;
  return { allowHttp: allowPrivate, allowPrivate };
}

/**
 * Checks a server URL an admin saves: https (see `mcpUrlPolicy`), no credentials in it, and a host
 * that resolves to public addresses only. The same guard runs again at every connection
 * (lib/mcp-client/connect.ts).
 */
export async function assertMcpUrl(url: string): Promise<string> {
  const checked = await assertPublicUrl(url, {
    ...mcpUrlPolicy(),
    field: "url",
    example: "https://mcp.example.com/mcp",
  });
  return checked.href;
}

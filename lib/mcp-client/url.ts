import { assertPublicUrl } from "@/lib/net/assert-public-url";

/**
 * Checks a server URL an admin saves: http(s), no credentials in it, and a host that resolves to
 * public addresses only (private ones with ALLOW_PRIVATE_NETWORK_URLS). The same guard runs again
 * at every connection (lib/mcp-client/connect.ts). http is accepted as for model servers, for
 * self-hosted servers on a private network.
 */
export async function assertMcpUrl(url: string): Promise<string> {
  const checked = await assertPublicUrl(url, {
    field: "url",
    allowHttp: true,
    example: "https://mcp.example.com/mcp",
  });
  return checked.href;
}

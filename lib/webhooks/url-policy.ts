import { env } from "@/lib/env";
import { assertPublicUrl } from "@/lib/net/assert-public-url";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";

/**
 * Endpoint URLs: https, public addresses only, as for git remotes. `ALLOW_PRIVATE_NETWORK_URLS`
 * (development, tests) also allows http:// and loopback/LAN receivers.
 */
export function webhookUrlPolicy() {
  const allowPrivate = env().ALLOW_PRIVATE_NETWORK_URLS;
  return { allowHttp: allowPrivate, allowPrivate };
}

/** Checked when an endpoint is saved; the same guard runs again at every send (DNS may change). */
export async function assertWebhookUrl(url: string): Promise<string> {
  const checked = await assertPublicUrl(url, {
    ...webhookUrlPolicy(),
    field: "url",
    example: "https://example.com/webhooks",
  });
  return checked.href;
}

/** The fetch deliveries go through: no redirects followed (a 3xx is a failed attempt), 10 s deadline. */
export function webhookFetch(timeoutMs = 10_000): typeof fetch {
  return createGuardedFetch({
    ...webhookUrlPolicy(),
    timeoutMs,
    bodyIdleTimeoutMs: timeoutMs,
    maxRedirects: 0,
    maxBytes: 256 * 1024,
  });
}

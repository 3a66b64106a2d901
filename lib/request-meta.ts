import ipaddr from "ipaddr.js";
import { headers } from "next/headers";
import { env } from "@/lib/env";

export type RequestMeta = { ip: string | null; userAgent: string | null };

/**
 * The client's IP, or null when it cannot be known. Next sets X-Forwarded-For to the socket
 * address only when the client did not send one, so the header is the client's own claim unless
 * a proxy we trust (AUTH_TRUST_HOST) sets it: then the last entry is the one that proxy added
 * (entries before it are whatever the client sent). Without a trusted proxy the header is
 * ignored, so nobody can rotate "IPs" to dodge per-IP limits.
 */
export function clientIp(h: Headers): string | null {
  if (!env().AUTH_TRUST_HOST) return null;
  const last = h.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  if (!last || !ipaddr.isValid(last)) return null;
  return ipaddr.process(last).toString();
}

/** Client IP and user agent for the audit log and rate limits, from a request's headers. */
export function metaFromHeaders(h: Headers): RequestMeta {
  return { ip: clientIp(h), userAgent: h.get("user-agent")?.slice(0, 512) ?? null };
}

/** The same, inside a server action or server component. */
export async function currentRequestMeta(): Promise<RequestMeta> {
  return metaFromHeaders(await headers());
}

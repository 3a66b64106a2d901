import { type Env, env } from "@/lib/env";

type OriginEnv = Pick<Env, "NODE_ENV" | "APP_URL" | "AUTH_TRUST_HOST" | "PORT">;

const LOOPBACK_HOSTNAME = /^(?:localhost|(?:[\w-]+\.)*localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** `proto://host[:port]` from the request, or null when the headers do not name a plain host. */
function originFromHeaders(headers: Headers, trustForwarded: boolean): URL | null {
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || undefined;
  const host = (trustForwarded ? first("x-forwarded-host") : undefined) ?? first("host");
  if (!host) return null;
  const forwardedProto = trustForwarded ? first("x-forwarded-proto") : undefined;
  try {
    const hostname = new URL(`http://${host}`).hostname;
    const proto = forwardedProto ?? (LOOPBACK_HOSTNAME.test(hostname) ? "http" : "https");
    const url = new URL(`${proto}://${host}`);
    // Anything but a bare host[:port] (a path, user info, another scheme) is not an origin.
    const bare = url.pathname === "/" && !url.username && !url.password && !url.search && !url.hash;
    if (!["http:", "https:"].includes(url.protocol) || !bare || /[/?#@\\]/.test(host)) return null;
    return url;
  } catch {
    return null;
  }
}

/**
 * The origin links to this app are built on (emails, the SSO redirect URI). APP_URL when it is
 * set, always: a forged Host header must never put an attacker's host into a password-reset
 * link. Without APP_URL, the origin the browser used: any host when AUTH_TRUST_HOST says a proxy
 * sets the headers, else only a loopback host outside production (so `next dev -p 3302` opened at
 * 127.0.0.1 mails 127.0.0.1:3302 links, and a DNS-rebinding page cannot pick the host). Failing
 * those, localhost on the port the server listens on.
 */
export function resolveAppOrigin(e: OriginEnv, headers: Headers | null): string {
  if (e.APP_URL) return new URL(e.APP_URL).origin;
  const fromRequest = headers ? originFromHeaders(headers, e.AUTH_TRUST_HOST) : null;
  if (fromRequest) {
    const trusted =
      e.AUTH_TRUST_HOST || (e.NODE_ENV !== "production" && LOOPBACK_HOSTNAME.test(fromRequest.hostname));
    if (trusted) return fromRequest.origin;
  }
  return `http://localhost:${e.PORT ?? "3000"}`;
}

/** The request's headers inside a request; null in background work (no request to read). */
async function requestHeaders(): Promise<Headers | null> {
  try {
    const { headers } = await import("next/headers");
    return new Headers(await headers());
  } catch {
    return null;
  }
}

/** The app's origin for the current request (see resolveAppOrigin). */
export async function appOrigin(): Promise<string> {
  const e = env();
  return resolveAppOrigin(e, e.APP_URL ? null : await requestHeaders());
}

/** Absolute URL on the app's origin, for links that leave the browser (emails). */
export async function appUrl(pathname: string): Promise<string> {
  return new URL(pathname, await appOrigin()).toString();
}

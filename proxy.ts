import { randomBytes } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, HSTS } from "@/lib/security/content-security-policy";

/**
 * HSTS only in production and only for an https app: APP_URL is https, or this request came over
 * https (directly, or per X-Forwarded-Proto behind a proxy trusted with AUTH_TRUST_HOST). Sent
 * over plain http it would pin a localhost install to https it cannot serve.
 */
function wantsHsts(request: NextRequest): boolean {
  const e = env();
  if (e.NODE_ENV !== "production") return false;
  if (e.APP_URL?.startsWith("https:")) return true;
  const forwarded = e.AUTH_TRUST_HOST
    ? request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim()
    : null;
  return (forwarded ? `${forwarded}:` : request.nextUrl.protocol) === "https:";
}

/**
 * A fresh nonce per request in the Content-Security-Policy, on the response for the browser and
 * on the request for Next, which reads it from there and puts it on its scripts (the root layout
 * reads x-nonce for next-themes). The other security headers are in next.config.js, which also
 * covers static files.
 */
export function proxy(request: NextRequest) {
  const nonce = randomBytes(16).toString("base64");
  const csp = contentSecurityPolicy({
    nonce,
    development: env().NODE_ENV === "development",
    insecureIdp: env().SSO_ALLOW_INSECURE_ISSUER,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  if (wantsHsts(request)) response.headers.set("strict-transport-security", HSTS);
  return response;
}

export const config = {
  // Build assets are immutable files with no scripts to run; next.config.js headers cover them.
  // git over HTTPS (/git/…) is left out: proxy would buffer, and cap at 10 MB, every push body.
  matcher: ["/((?!_next/static|_next/image|favicon.svg|git/).*)"],
};

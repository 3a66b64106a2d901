import { NextRequest } from "next/server";

const SESSION_COOKIE = /^(?:__Secure-)?authjs\.session-token(?:\.\d+)?$/;
const CALLBACK_PATH = /\/api\/auth\/callback\/[^/]+\/?$/;

/**
 * An OAuth/OIDC callback signs in whoever the provider vouches for. Auth.js would instead link
 * the provider account to the browser's current session user (who may be someone else, and
 * would then join the SSO organization), so the callback is handled as if signed out.
 */
export function withoutSessionOnCallback(req: NextRequest): NextRequest {
  const header = req.headers.get("cookie");
  if (!header || !CALLBACK_PATH.test(req.nextUrl.pathname)) return req;
  const parts = header.split(";").map((p) => p.trim());
  const kept = parts.filter((p) => !SESSION_COOKIE.test(p.slice(0, p.indexOf("=")).trim()));
  if (kept.length === parts.length) return req;
  const headers = new Headers(req.headers);
  headers.set("cookie", kept.join("; "));
  return new NextRequest(req.url, { method: req.method, headers });
}

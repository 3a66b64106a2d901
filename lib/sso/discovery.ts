import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createGuardedFetch, type GuardOptions, reachedPublicAddress } from "@/lib/net/guarded-fetch";
import { UNREACHABLE_MESSAGE, UnreachableUrlError, vetUrl } from "@/lib/net/vet-url";

const DISCOVERY_TIMEOUT_MS = 5000;
// Endpoints the server itself calls during sign-in (the authorization endpoint is the browser's).
const SERVER_ENDPOINTS = ["token_endpoint", "jwks_uri", "userinfo_endpoint"] as const;

function issuerError(message: string): AppError {
  return new AppError("validation", "The issuer could not be verified.", {
    fieldErrors: { issuer: [message] },
  });
}

/** Issuers are compared as URLs, so `https://idp.example.com` and `.../` are the same issuer. */
function sameIssuer(a: string, b: string): boolean {
  try {
    return new URL(a).href.replace(/\/$/, "") === new URL(b).href.replace(/\/$/, "");
  } catch {
    return false;
  }
}

/** Whether the document's server-side endpoints pass the same address check as the issuer. */
async function endpointsAllowed(doc: Record<string, unknown>, guard: GuardOptions): Promise<boolean> {
  for (const key of SERVER_ENDPOINTS) {
    const value = doc[key];
    if (value === undefined && key === "userinfo_endpoint") continue;
    try {
      await vetUrl(new URL(String(value)), guard);
    } catch (error) {
      if (!(error instanceof UnreachableUrlError) && !(error instanceof TypeError)) throw error;
      console.warn(`[sso] discovery document names a refused ${key}`);
      return false;
    }
  }
  return true;
}

/**
 * Fetches the issuer's OpenID discovery document (through the guarded fetch: no internal
 * addresses) and checks it describes that issuer, so a typo is caught when the admin saves rather
 * than when members try to sign in. Returns the issuer exactly as the IdP spells it (ID tokens are
 * checked against that string). Nothing fetched is echoed back, and a server that is not public
 * gets the one non-descriptive message whatever it answered. `guard` is for tests.
 */
export async function verifyIssuer(input: string, guard: GuardOptions = {}): Promise<string> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw issuerError("Enter a URL like https://login.example.com.");
  }
  const allowHttp = env().SSO_ALLOW_INSECURE_ISSUER;
  if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) {
    throw issuerError("The issuer must use https://.");
  }
  if (url.search || url.hash || url.username || url.password) {
    throw issuerError("The issuer URL must not contain a query, a fragment or credentials.");
  }
  const base = url.href.replace(/\/$/, "");
  const options = { allowHttp, timeoutMs: DISCOVERY_TIMEOUT_MS, ...guard };
  let response: Response;
  try {
    response = await createGuardedFetch(options)(`${base}/.well-known/openid-configuration`, {
      headers: { accept: "application/json" },
    });
  } catch {
    throw issuerError(UNREACHABLE_MESSAGE);
  }
  // Hints below tell an admin what is wrong with a public IdP; for anything else they would
  // describe an internal service, so it gets the same message as an unreachable one.
  const hint = (message: string) =>
    issuerError(reachedPublicAddress(response) ? message : UNREACHABLE_MESSAGE);
  const notAnIssuer =
    "This is not an OpenID issuer (no valid discovery document at /.well-known/openid-configuration).";
  let doc: Record<string, unknown> | null = null;
  try {
    if (response.ok) doc = (await response.json()) as Record<string, unknown>;
    else await response.body?.cancel();
  } catch {
    doc = null;
  }
  if (typeof doc !== "object" || doc === null || typeof doc.issuer !== "string") throw hint(notAnIssuer);
  if (!sameIssuer(doc.issuer, base)) {
    throw hint(
      "The discovery document names a different issuer; enter the issuer URL exactly as your identity provider publishes it.",
    );
  }
  for (const key of ["authorization_endpoint", "token_endpoint", "jwks_uri"]) {
    if (typeof doc[key] !== "string") {
      throw hint(`The OpenID configuration has no ${key}; this IdP cannot be used for sign-in.`);
    }
  }
  if (!(await endpointsAllowed(doc, options))) throw issuerError(UNREACHABLE_MESSAGE);
  return doc.issuer;
}

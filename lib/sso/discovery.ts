import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const DISCOVERY_TIMEOUT_MS = 5000;

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

/**
 * Fetches the issuer's OpenID discovery document and checks it describes that issuer, so a typo
 * is caught when the admin saves rather than when members try to sign in. Returns the issuer
 * exactly as the IdP spells it (ID tokens are checked against that string).
 */
export async function verifyIssuer(input: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw issuerError("Enter a URL like https://login.example.com.");
  }
  const insecureAllowed = env().SSO_ALLOW_INSECURE_ISSUER;
  if (url.protocol !== "https:" && !(insecureAllowed && url.protocol === "http:")) {
    throw issuerError("The issuer must use https://.");
  }
  if (url.search || url.hash || url.username || url.password) {
    throw issuerError("The issuer URL must not contain a query, a fragment or credentials.");
  }
  const base = url.href.replace(/\/$/, "");
  const discoveryUrl = `${base}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(discoveryUrl, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
  } catch {
    throw issuerError(`Could not reach ${discoveryUrl}. Check the URL and that the server is up.`);
  }
  if (!response.ok) {
    throw issuerError(`${discoveryUrl} answered ${response.status}; is this the issuer URL of your IdP?`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = (await response.json()) as Record<string, unknown>;
  } catch {
    throw issuerError(`${discoveryUrl} did not return an OpenID configuration (JSON).`);
  }
  if (typeof doc !== "object" || doc === null || typeof doc.issuer !== "string") {
    throw issuerError(`${discoveryUrl} did not return an OpenID configuration.`);
  }
  if (!sameIssuer(doc.issuer, base)) {
    throw issuerError(`The IdP calls itself "${doc.issuer}"; use that exact issuer URL.`);
  }
  for (const key of ["authorization_endpoint", "token_endpoint", "jwks_uri"]) {
    if (typeof doc[key] !== "string") {
      throw issuerError(`The OpenID configuration has no ${key}; this IdP cannot be used for sign-in.`);
    }
  }
  return doc.issuer;
}

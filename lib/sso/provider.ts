import { AsyncLocalStorage } from "node:async_hooks";
import { customFetch } from "next-auth";
import type { OIDCConfig } from "next-auth/providers";
import { env } from "@/lib/env";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import type { SsoClientConnection } from "./lookup";
import { ssoProviderId } from "./provider-id";

type OidcProfile = { sub: string; email?: string | null; name?: string | null; picture?: string | null };

/** The Auth.js provider for one organization's connection; built per request, never cached. */
export function buildSsoProvider(connection: SsoClientConnection): OIDCConfig<OidcProfile> {
  return {
    id: ssoProviderId(connection.id),
    name: "Single sign-on",
    type: "oidc",
    issuer: connection.issuer,
    clientId: connection.clientId,
    clientSecret: connection.clientSecret,
    checks: ["pkce", "state", "nonce"],
    // Every request Auth.js makes to the IdP (discovery, token, keys, userinfo) goes through the
    // guard: the discovery document could name internal endpoints. Auth.js keeps the symbol only
    // from `options` (its merge drops symbol keys).
    options: { [customFetch]: createGuardedFetch({ allowHttp: env().SSO_ALLOW_INSECURE_ISSUER }) },
    // The ID token is still validated (signature, nonce), but the profile comes from the userinfo
    // endpoint: a conforming IdP puts `email` only there. Auth.js makes that request with the
    // provider's fetch, so a guarded `customFetch` covers it too.
    idToken: false,
    // Linking to an existing user by email is allowed only for a connection with a domain its
    // organization verified; the signIn callback (lib/auth/config.ts) further requires that the
    // email's own domain is verified and that the existing user's email is verified.
    allowDangerousEmailAccountLinking: connection.verifiedDomains.length > 0,
    profile(profile) {
      return {
        id: profile.sub,
        email: profile.email?.toLowerCase() ?? null,
        name: profile.name ?? null,
        image: profile.picture ?? null,
      };
    },
  };
}

// `signIn()` in a server action builds the Auth.js config without a request (NextAuth calls
// the lazy config with `undefined`), so the action names the connection for that call here.
// On globalThis: Next may load this module more than once, and both sides must share one store.
const globalForSso = globalThis as unknown as { __dmSsoScope?: AsyncLocalStorage<string> };
globalForSso.__dmSsoScope ??= new AsyncLocalStorage<string>();
const ssoScope = globalForSso.__dmSsoScope;

export function withSsoConnection<T>(connectionId: string, fn: () => Promise<T>): Promise<T> {
  return ssoScope.run(connectionId, fn);
}

export function scopedSsoConnectionId(): string | null {
  return ssoScope.getStore() ?? null;
}

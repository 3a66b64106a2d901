import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

export type TestOidcProvider = { issuer: string; stop: () => Promise<void> };

type Options = {
  /** 0 picks a free port (read it from `issuer`). */
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Domain for logins typed without one ("alice" → alice@example.com). */
  emailDomain?: string;
  /**
   * true: as the spec asks, the ID token carries only `sub` and the email is served by the
   * userinfo endpoint alone. Default false (claims in the ID token too, as many IdPs do).
   */
  conformIdTokenClaims?: boolean;
};

/**
 * A real OpenID Connect provider on 127.0.0.1 for tests (oidc-provider's development
 * interactions): any login and any password sign in; the login is the email, or gets
 * `@emailDomain` appended. Consent is granted automatically, so the only page is the login form
 * (fields `login` and `password`, button "Sign-in").
 */
export async function startOidcProvider(options: Options): Promise<TestOidcProvider> {
  const emailDomain = options.emailDomain ?? "example.com";
  // Listen first so port 0 (any free port) works: the issuer must contain the real port.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handle) handle(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    async findAccount(_ctx, id) {
      const email = (id.includes("@") ? id : `${id}@${emailDomain}`).toLowerCase();
      const local = email.split("@")[0] ?? id;
      const name = local.charAt(0).toUpperCase() + local.slice(1);
      return {
        accountId: id,
        claims: async () => ({ sub: id, email, email_verified: true, name }),
      };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: options.conformIdTokenClaims ?? false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["test-oidc-provider-cookie-key"] },
    // First-party test client: skip the consent screen by granting the requested scopes.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, result, provider: op } = ctx.oidc;
      if (!client || !session) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return op.Grant.find(grantId);
      const grant = new op.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified", "name"]);
      await grant.save();
      return grant;
    },
  });

  handle = provider.callback();
  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { NextRequest } from "next/server";
import { CredentialsSignin, type NextAuthConfig } from "next-auth";
import { getDb } from "@/db";
import { accounts, users, verificationTokens } from "@/db/schema";
import { authSecret } from "@/lib/env";
import { currentRequestMeta, metaFromHeaders, type RequestMeta } from "@/lib/request-meta";
import { authorizeSsoSignIn } from "@/lib/sso/authorize-sign-in";
import { joinOrganizationViaSso } from "@/lib/sso/jit";
import { enforcedSsoFor, loadSsoClientConnection, type SsoClientConnection } from "@/lib/sso/lookup";
import { scopedSsoConnectionId } from "@/lib/sso/provider";
import { connectionIdFromAuthPath, connectionIdFromProviderId } from "@/lib/sso/provider-id";
import { markEmailVerified } from "./email-verification";
import { buildProviders } from "./providers";
import { safeCallbackUrl } from "./search-params";
import {
  createUserSession,
  isUserSessionActive,
  revokeUserSession,
  SESSION_MAX_AGE_SECONDS,
} from "./sessions";
import { auditSignIn } from "./sign-in-audit";

const EMPTY_META: RequestMeta = { ip: null, userAgent: null };

function signInError(error: string, email?: string | null): string {
  const params = new URLSearchParams({ error });
  if (email) params.set("email", email);
  return `/sign-in?${params}`;
}

/**
 * The SSO connection this request needs: named by the path for requests to the Auth.js route
 * (`/api/auth/signin|callback/sso-<id>`), or by the server action that calls `signIn()`.
 */
async function ssoConnectionFor(req: NextRequest | undefined): Promise<SsoClientConnection | null> {
  const pathname = req ? (req.nextUrl?.pathname ?? new URL(req.url).pathname) : null;
  const connectionId = connectionIdFromAuthPath(pathname) ?? scopedSsoConnectionId();
  return connectionId ? loadSsoClientConnection(connectionId) : null;
}

/**
 * Auth.js configuration, built per request (NextAuth's lazy form) because the SSO provider is
 * the requesting organization's connection, loaded from the database.
 */
export async function buildAuthConfig(req?: NextRequest): Promise<NextAuthConfig> {
  const sso = await ssoConnectionFor(req);
  const requestMeta = async () =>
    req ? metaFromHeaders(req.headers) : await currentRequestMeta().catch(() => EMPTY_META);
  const db = await getDb();

  return {
    secret: authSecret(),
    // Self-hosted behind a proxy; URLs come from the Host / X-Forwarded-* headers.
    trustHost: true,
    basePath: "/api/auth",
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    adapter: DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      verificationTokensTable: verificationTokens,
    }),
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: buildProviders(sso),
    callbacks: {
      /** Every post-auth redirect (callbackUrl, redirectTo) stays on this origin. */
      redirect({ url, baseUrl }) {
        return new URL(safeCallbackUrl(url, baseUrl), baseUrl).href;
      },

      /** Refusals redirect to the sign-in page with a reason it knows how to explain. */
      async signIn({ user, account, profile }) {
        if (!account || account.provider === "credentials") return true; // authorize() decided
        const email = (profile?.email ?? user.email)?.toLowerCase();
        if (!email) return signInError("NoEmail");
        const connectionId = connectionIdFromProviderId(account.provider);
        if (connectionId) {
          if (!sso || sso.id !== connectionId) return signInError("SsoUnavailable");
          const verdict = await authorizeSsoSignIn({
            connection: sso,
            email,
            userId: user.id,
            account: { provider: account.provider, providerAccountId: account.providerAccountId },
          });
          if (verdict.ok) return true;
          return "redirect" in verdict ? verdict.redirect : signInError(verdict.error, email);
        }
        if (await enforcedSsoFor(email)) return signInError("SsoRequired", email);
        return true;
      },

      async jwt({ token, user, account, profile }) {
        if (user && account) {
          if (!user.id) return null;
          const identity = { id: user.id, email: (user.email ?? token.email ?? "").toLowerCase() };
          const meta = await requestMeta();
          const sid = await createUserSession({ userId: identity.id, provider: account.provider, meta });
          const viaSso = sso && connectionIdFromProviderId(account.provider) === sso.id ? sso : null;
          if (viaSso) {
            // The organization's IdP vouches for addresses in the domains it owns.
            await markEmailVerified(db, identity.id);
            await joinOrganizationViaSso({ connection: viaSso, user: identity, meta });
          } else if (profile?.email_verified === true) {
            await markEmailVerified(db, identity.id);
          }
          await auditSignIn({ user: identity, provider: account.provider, meta, exceptOrgId: viaSso?.orgId });
          return { ...token, sub: identity.id, sid };
        }
        // Every request: the server-side session row decides, so revocation applies immediately.
        const sid = typeof token.sid === "string" ? token.sid : null;
        if (!sid || !token.sub) return null;
        return (await isUserSessionActive(sid, token.sub)) ? token : null;
      },

      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub ?? "" } };
      },
    },
    events: {
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : null;
        if (typeof sid === "string") await revokeUserSession(sid);
      },
    },
    logger: {
      // A wrong password is an expected outcome, not a server error worth a stack trace.
      error(error) {
        if (error instanceof CredentialsSignin) return;
        console.error(`[auth][error] ${error.name}: ${error.message}`, error.cause ?? "");
      },
    },
  };
}

import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { oauthProviders } from "@/lib/env";
import { metaFromHeaders } from "@/lib/request-meta";
import type { SsoClientConnection } from "@/lib/sso/lookup";
import { buildSsoProvider } from "@/lib/sso/provider";
import { authorizeCredentials } from "./credentials";

export type OAuthButton = { id: "github" | "google"; name: string };

/** The OAuth providers whose keys are configured: the sign-in page shows buttons for these only. */
export function availableOAuthProviders(): OAuthButton[] {
  const configured = oauthProviders();
  const buttons: OAuthButton[] = [];
  if (configured.github) buttons.push({ id: "github", name: "GitHub" });
  if (configured.google) buttons.push({ id: "google", name: "Google" });
  return buttons;
}

/** Email + password always; GitHub/Google when configured; the one SSO connection this request uses. */
export function buildProviders(sso: SsoClientConnection | null): Provider[] {
  const configured = oauthProviders();
  const providers: Provider[] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      authorize: (credentials, request) =>
        authorizeCredentials(credentials, metaFromHeaders(request.headers)),
    }),
  ];
  if (configured.github) providers.push(GitHub(configured.github));
  if (configured.google) providers.push(Google(configured.google));
  if (sso) providers.push(buildSsoProvider(sso));
  return providers;
}

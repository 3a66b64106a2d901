import { CircleAlertIcon, CircleCheckIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { AuthCard } from "@/components/auth/auth-card";
import { Divider } from "@/components/auth/divider";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoSignInForm } from "@/components/auth/sso-sign-in-form";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { appOrigin } from "@/lib/app-origin";
import { availableOAuthProviders } from "@/lib/auth/providers";
import { param, type SearchParams, safeCallbackUrl } from "@/lib/auth/search-params";
import { getCurrentUser } from "@/lib/auth/session";
import { signInErrorMessage } from "@/lib/auth/sign-in-messages";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(param(params, "callbackUrl"), await appOrigin());
  if (await getCurrentUser()) redirect(callbackUrl);

  const error = param(params, "error");
  const code = param(params, "code");
  const email = param(params, "email");
  const errorMessage = signInErrorMessage(error, code);
  // Refused because the organization enforces SSO: lead with the SSO form, email filled in.
  const ssoFirst = error === "SsoRequired" || code === "sso_required";
  const providers = availableOAuthProviders();

  return (
    <AuthCard
      title="Sign in"
      description="Welcome back to DafnckMachine."
      footer={
        <>
          New here?{" "}
          <Link
            href={`/sign-up${callbackUrl !== "/orgs" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`}
            className="font-medium text-foreground underline-offset-4 hover:underline"
          >
            Create an account
          </Link>
        </>
      }
    >
      <div className="grid gap-6">
        {param(params, "reset") === "1" && (
          <Alert>
            <CircleCheckIcon />
            <AlertDescription>Your password was changed. Sign in with your new password.</AlertDescription>
          </Alert>
        )}
        {errorMessage && (
          <Alert variant="destructive">
            <CircleAlertIcon />
            <AlertDescription>{errorMessage}</AlertDescription>
          </Alert>
        )}
        {ssoFirst ? (
          <SsoSignInForm defaultEmail={email} callbackUrl={callbackUrl} open />
        ) : (
          <>
            <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
            {providers.length > 0 && <Divider />}
            <SignInForm callbackUrl={callbackUrl} defaultEmail={email} />
            <Divider />
            <SsoSignInForm defaultEmail={email} callbackUrl={callbackUrl} />
          </>
        )}
        {ssoFirst && (
          <p className="text-center text-muted-foreground text-sm">
            <Link href="/sign-in" className="underline-offset-4 hover:underline">
              Use another sign-in method
            </Link>
          </p>
        )}
      </div>
    </AuthCard>
  );
}

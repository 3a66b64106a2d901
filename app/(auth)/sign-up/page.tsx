import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { AuthCard } from "@/components/auth/auth-card";
import { Divider } from "@/components/auth/divider";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { appOrigin } from "@/lib/app-origin";
import { availableOAuthProviders } from "@/lib/auth/providers";
import { param, type SearchParams, safeCallbackUrl } from "@/lib/auth/search-params";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(param(params, "callbackUrl"), await appOrigin());
  if (await getCurrentUser()) redirect(callbackUrl);
  const providers = availableOAuthProviders();

  return (
    <AuthCard
      title="Create your account"
      description="Start turning goals into delivered work."
      footer={
        <>
          Already have an account?{" "}
          <Link
            href={`/sign-in${callbackUrl !== "/orgs" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`}
            className="font-medium text-foreground underline-offset-4 hover:underline"
          >
            Sign in
          </Link>
        </>
      }
    >
      <div className="grid gap-6">
        <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
        {providers.length > 0 && <Divider />}
        <SignUpForm callbackUrl={callbackUrl} />
      </div>
    </AuthCard>
  );
}

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
import { findInvitationByToken } from "@/lib/invitations/find-invitation-by-token";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const params = await searchParams;
  // From an invitation link: the account is for the invited address, and returns to the invitation.
  const token = param(params, "invitation") ?? "";
  const invitation = token ? await findInvitationByToken(token) : null;
  const invited = invitation?.status === "pending" ? invitation : null;
  const callbackUrl = safeCallbackUrl(
    param(params, "callbackUrl"),
    await appOrigin(),
    invited ? `/invite/${encodeURIComponent(token)}` : undefined,
  );
  if (await getCurrentUser()) redirect(callbackUrl);
  const providers = availableOAuthProviders();

  return (
    <AuthCard
      title={invited ? `Create your account to join ${invited.orgName}` : "Create your account"}
      description={
        invited
          ? `The account is for ${invited.email}, the address the invitation was sent to.`
          : "Start turning goals into delivered work."
      }
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
        <SignUpForm
          callbackUrl={callbackUrl}
          invitation={
            invited ? { token, email: invited.email, proof: param(params, "proof") ?? "" } : undefined
          }
        />
      </div>
    </AuthCard>
  );
}

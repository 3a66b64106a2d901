import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AuthCard } from "@/components/auth/auth-card";
import { MailNotice } from "@/components/auth/form-message";
import { ResendVerificationButton } from "@/components/auth/resend-verification-button";
import { VerifyEmailForm } from "@/components/auth/verify-email-form";
import { Button } from "@/components/ui/button";
import { isEmailVerified } from "@/lib/auth/email-verification";
import { param, type SearchParams } from "@/lib/auth/search-params";
import { getCurrentUser } from "@/lib/auth/session";
import { isProduction } from "@/lib/env";
import { mailIsConfigured } from "@/lib/mail";

export const metadata: Metadata = { title: "Verify your email" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const token = param(await searchParams, "token");
  if (token) {
    return (
      <AuthCard title="Verify your email" description="Confirm that this email address is yours.">
        <VerifyEmailForm token={token} />
      </AuthCard>
    );
  }

  const user = await getCurrentUser();
  const verified = user ? await isEmailVerified(user.id) : false;
  return (
    <AuthCard
      title={verified ? "Your email is verified" : "Check your inbox"}
      description={
        verified
          ? `${user?.email} is confirmed.`
          : user
            ? `We sent a verification link to ${user.email}. It works for 24 hours.`
            : "Open the verification link we emailed you."
      }
      footer={
        <Link
          href={user ? "/orgs" : "/sign-in"}
          className="font-medium text-foreground underline-offset-4 hover:underline"
        >
          {user ? "Continue to DafnckMachine" : "Back to sign in"}
        </Link>
      }
    >
      <div className="grid gap-4">
        {!mailIsConfigured() && !isProduction() && !verified && (
          <MailNotice text="Email is not configured: the link was written to the server log." />
        )}
        {user && !verified ? (
          <ResendVerificationButton />
        ) : (
          <Button asChild className="w-full">
            <Link href={user ? "/orgs" : "/sign-in"}>Continue</Link>
          </Button>
        )}
      </div>
    </AuthCard>
  );
}

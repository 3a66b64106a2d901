import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { Button } from "@/components/ui/button";
import { param, type SearchParams } from "@/lib/auth/search-params";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const token = param(await searchParams, "token");
  const back = (
    <Link href="/sign-in" className="font-medium text-foreground underline-offset-4 hover:underline">
      Back to sign in
    </Link>
  );
  if (!token) {
    return (
      <AuthCard
        title="This link is incomplete"
        description="Open the link from the email again, or ask for a new one."
        footer={back}
      >
        <Button asChild className="w-full">
          <Link href="/forgot-password">Send me a new link</Link>
        </Button>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Choose a new password"
      description="You'll be signed out on every device; sign in again with the new password."
      footer={back}
    >
      <ResetPasswordForm token={token} />
    </AuthCard>
  );
}

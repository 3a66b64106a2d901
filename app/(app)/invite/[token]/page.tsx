import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AuthCard } from "@/components/auth/auth-card";
import { AcceptInvitationButton } from "@/components/invitations/accept-invitation-button";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { signOutAction } from "@/lib/auth/actions";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { emailMismatchMessage, INVITATION_UNUSABLE } from "@/lib/invitations/accept-invitation";
import { findInvitationByToken } from "@/lib/invitations/find-invitation-by-token";

export const metadata: Metadata = { title: "Invitation", robots: { index: false } };

const UNUSABLE_TITLES = {
  expired: "This invitation has expired",
  revoked: "This invitation was revoked",
  accepted: "This invitation was already used",
} as const;

type Props = {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function InvitePage({ params, searchParams }: Props) {
  await connection();
  const { token } = await params;
  const { proof } = await searchParams;
  const [invitation, user] = await Promise.all([findInvitationByToken(token), getCurrentUser()]);
  const here = `/invite/${encodeURIComponent(token)}`;

  if (!invitation) {
    return (
      <AuthCard
        title="Invitation not found"
        description="This link is not valid. Check that you opened the whole link from the email, or ask for a new invitation."
      >
        <Button asChild variant="outline" className="w-full">
          <Link href={user ? "/orgs" : "/"}>{user ? "Go to your organizations" : "Go to the home page"}</Link>
        </Button>
      </AuthCard>
    );
  }

  if (invitation.status !== "pending") {
    return (
      <AuthCard
        title={UNUSABLE_TITLES[invitation.status]}
        description={INVITATION_UNUSABLE[invitation.status]}
      >
        <Button asChild variant="outline" className="w-full">
          <Link href={user ? "/orgs" : "/sign-in"}>{user ? "Go to your organizations" : "Sign in"}</Link>
        </Button>
      </AuthCard>
    );
  }

  const description = (
    <>
      {invitation.invitedBy ? `${invitation.invitedBy} invited` : "You are invited as"}{" "}
      <span className="font-medium text-foreground">{invitation.email}</span> to join{" "}
      <span className="font-medium text-foreground">{invitation.orgName}</span> as{" "}
      {ROLE_LABELS[invitation.role].toLowerCase()}.
    </>
  );

  if (!user) {
    // Most invitees are new: creating the account (for the invited address) comes first. The
    // emailed link's proof goes along, so that address needs no second confirmation.
    const signUp = new URLSearchParams({ invitation: token });
    if (typeof proof === "string" && proof) signUp.set("proof", proof);
    return (
      <AuthCard title={`Join ${invitation.orgName}`} description={description}>
        <div className="grid gap-3">
          <Button asChild className="w-full">
            <Link href={`/sign-up?${signUp}`}>Create account</Link>
          </Button>
          <p className="text-center text-muted-foreground text-sm">
            Already have an account for {invitation.email}?{" "}
            <Link
              href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}
              className="font-medium text-foreground underline-offset-4 hover:underline"
            >
              Sign in
            </Link>
          </p>
        </div>
      </AuthCard>
    );
  }

  if (invitation.email.toLowerCase() !== user.email.toLowerCase()) {
    return (
      <AuthCard title="This invitation is for another account" description={description}>
        <div className="grid gap-4">
          <Alert variant="warning">
            <AlertDescription>{emailMismatchMessage(invitation.email, user.email)}</AlertDescription>
          </Alert>
          <form action={signOutAction}>
            <Button type="submit" variant="outline" className="w-full">
              Sign out
            </Button>
          </form>
          <p className="text-center text-muted-foreground text-sm">Then open the invitation link again.</p>
        </div>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={`Join ${invitation.orgName}`} description={description}>
      <AcceptInvitationButton token={token} orgName={invitation.orgName} />
    </AuthCard>
  );
}

import { MailWarningIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { isProduction } from "@/lib/env";
import { mailIsConfigured } from "@/lib/mail";
import { ResendVerificationButton } from "./resend-verification-button";

/**
 * For signed-in users whose email is not verified yet. Unverified accounts may sign in and work;
 * this banner (rendered by the app layout when `isEmailVerified()` is false) asks them to confirm.
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  return (
    <Alert variant="warning" className="mb-6">
      <MailWarningIcon />
      <AlertTitle>Confirm your email address</AlertTitle>
      <AlertDescription>
        <p>
          We sent a link to {email}. Open it to confirm this address is yours.
          {!mailIsConfigured() && !isProduction()
            ? " Email is not configured: the link was written to the server log."
            : ""}
        </p>
        <ResendVerificationButton />
      </AlertDescription>
    </Alert>
  );
}

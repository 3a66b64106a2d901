"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { verifyEmailAction } from "@/lib/auth/actions";
import { IDLE } from "@/lib/auth/form-state";
import { FormMessage } from "./form-message";

/**
 * Verification takes a click rather than happening on page load, so mail scanners that open
 * links do not use up the single-use token.
 */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(verifyEmailAction, IDLE);
  if (state.status === "success") {
    return (
      <div className="grid gap-4">
        <FormMessage state={state} />
        <Button asChild className="w-full">
          <Link href="/orgs">Continue</Link>
        </Button>
      </div>
    );
  }
  return (
    <form action={action} className="grid gap-4" aria-label="Verify your email">
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state} />
      <SubmitButton className="w-full" pending={pending} pendingText="Verifying…">
        Verify my email
      </SubmitButton>
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { resendVerificationAction } from "@/lib/auth/actions";
import { IDLE } from "@/lib/auth/form-state";
import { FormMessage } from "./form-message";

export function ResendVerificationButton() {
  const [state, action, pending] = useActionState(resendVerificationAction, IDLE);
  return (
    <form action={action} className="grid justify-items-start gap-3">
      <SubmitButton variant="outline" size="sm" pending={pending} pendingText="Sending…">
        Resend the link
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

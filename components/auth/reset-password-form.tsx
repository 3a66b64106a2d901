"use client";

import { useActionState } from "react";
import { FormField } from "@/components/ui/form-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { resetPasswordAction } from "@/lib/auth/actions";
import { IDLE } from "@/lib/auth/form-state";
import { FormMessage } from "./form-message";
import { PasswordInput } from "./password-input";

/** Success redirects to the sign-in page; every other session of the account is signed out. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(resetPasswordAction, IDLE);
  return (
    <form action={action} className="grid gap-4" aria-label="Choose a new password">
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state.fieldErrors?.password ? { ...state, message: undefined } : state} />
      <FormField label="New password" htmlFor="password" error={state.fieldErrors?.password}>
        <PasswordInput
          id="password"
          name="password"
          autoComplete="new-password"
          required
          autoFocus
          showRules
        />
      </FormField>
      <SubmitButton className="w-full" pending={pending} pendingText="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}

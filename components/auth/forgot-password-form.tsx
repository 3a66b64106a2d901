"use client";

import { useActionState } from "react";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { forgotPasswordAction } from "@/lib/auth/actions";
import { IDLE } from "@/lib/auth/form-state";
import { FormMessage } from "./form-message";

export function ForgotPasswordForm({ defaultEmail }: { defaultEmail?: string }) {
  const [state, action, pending] = useActionState(forgotPasswordAction, IDLE);
  return (
    <form action={action} className="grid gap-4" aria-label="Reset your password">
      <FormMessage state={state.fieldErrors ? { ...state, message: undefined } : state} />
      <FormField label="Email" htmlFor="email" error={state.fieldErrors?.email}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          autoFocus
          defaultValue={state.values?.email ?? defaultEmail}
          placeholder="you@example.com"
        />
      </FormField>
      <SubmitButton className="w-full" pending={pending} pendingText="Sending…">
        {state.status === "success" ? "Send again" : "Send reset link"}
      </SubmitButton>
    </form>
  );
}

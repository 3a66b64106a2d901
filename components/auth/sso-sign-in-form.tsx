"use client";

import { KeyRoundIcon } from "lucide-react";
import { useActionState, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { ssoSignInAction } from "@/lib/auth/actions";
import { IDLE } from "@/lib/auth/form-state";

type SsoSignInFormProps = {
  defaultEmail?: string;
  callbackUrl?: string;
  /** Show the email field right away instead of behind the "Continue with SSO" button. */
  open?: boolean;
};

/** "Continue with SSO": the work email's domain picks the organization's identity provider. */
export function SsoSignInForm({
  defaultEmail,
  callbackUrl,
  open: initiallyOpen = false,
}: SsoSignInFormProps) {
  const [open, setOpen] = useState(initiallyOpen);
  const [state, action, pending] = useActionState(ssoSignInAction, IDLE);
  const emailId = useId();

  if (!open) {
    return (
      <Button type="button" variant="outline" className="w-full" onClick={() => setOpen(true)}>
        <KeyRoundIcon aria-hidden="true" />
        Continue with SSO
      </Button>
    );
  }
  return (
    <form action={action} className="grid gap-3" aria-label="Sign in with SSO">
      {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
      <FormField
        label="Work email"
        htmlFor={emailId}
        error={state.fieldErrors?.email}
        hint={state.fieldErrors?.email ? undefined : "We'll send you to your organization's sign-in page."}
      >
        <Input
          id={emailId}
          name="email"
          type="email"
          autoComplete="email"
          required
          autoFocus={!initiallyOpen || !defaultEmail}
          defaultValue={state.values?.email ?? defaultEmail}
          placeholder="you@company.com"
        />
      </FormField>
      {state.status === "error" && !state.fieldErrors && (
        <p role="alert" className="text-destructive text-sm">
          {state.message}
        </p>
      )}
      <SubmitButton variant="outline" className="w-full" pending={pending} pendingText="Redirecting…">
        <KeyRoundIcon aria-hidden="true" />
        Continue with SSO
      </SubmitButton>
    </form>
  );
}

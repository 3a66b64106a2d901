"use client";

import { useActionState, useState } from "react";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { signUpAction } from "@/lib/auth/actions";
import { IDLE } from "@/lib/auth/form-state";
import { FormMessage } from "./form-message";
import { PasswordInput } from "./password-input";
import { SsoSignInForm } from "./sso-sign-in-form";

/** An invitation being accepted: the account is for its address (locked), the proof from its email. */
export type SignUpInvitation = { token: string; email: string; proof: string };

export function SignUpForm({
  callbackUrl,
  invitation,
}: {
  callbackUrl: string;
  invitation?: SignUpInvitation;
}) {
  const [state, action, pending] = useActionState(signUpAction, IDLE);
  const [email, setEmail] = useState(invitation?.email ?? state.values?.email ?? "");
  return (
    <div className="grid gap-4">
      <form action={action} className="grid gap-4" aria-label="Create an account">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        {invitation && (
          <>
            <input type="hidden" name="invitation" value={invitation.token} />
            <input type="hidden" name="invitationProof" value={invitation.proof} />
          </>
        )}
        <FormMessage state={state.fieldErrors ? { ...state, message: undefined } : state} />
        <FormField label="Name" htmlFor="name" error={state.fieldErrors?.name}>
          <Input
            id="name"
            name="name"
            autoComplete="name"
            required
            autoFocus
            maxLength={100}
            defaultValue={state.values?.name}
          />
        </FormField>
        <FormField
          label="Email"
          htmlFor="email"
          error={state.fieldErrors?.email}
          hint={invitation ? "The address your invitation was sent to." : undefined}
        >
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            readOnly={Boolean(invitation)}
            aria-readonly={invitation ? true : undefined}
            className={invitation ? "bg-muted text-muted-foreground" : undefined}
            {...(invitation
              ? { value: invitation.email }
              : { defaultValue: state.values?.email, onChange: (event) => setEmail(event.target.value) })}
            placeholder="you@example.com"
          />
        </FormField>
        <FormField label="Password" htmlFor="password" error={state.fieldErrors?.password}>
          <PasswordInput
            id="password"
            name="password"
            autoComplete="new-password"
            required
            showRules
            email={email}
          />
        </FormField>
        <SubmitButton className="w-full" pending={pending} pendingText="Creating your account…">
          Create account
        </SubmitButton>
      </form>
      {state.ssoEmail && (
        <SsoSignInForm key={state.ssoEmail} defaultEmail={state.ssoEmail} callbackUrl={callbackUrl} open />
      )}
    </div>
  );
}

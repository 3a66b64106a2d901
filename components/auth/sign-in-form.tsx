"use client";

import Link from "next/link";
import { useActionState } from "react";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { signInAction } from "@/lib/auth/actions";
import { IDLE } from "@/lib/auth/form-state";
import { FormMessage } from "./form-message";
import { PasswordInput } from "./password-input";
import { SsoSignInForm } from "./sso-sign-in-form";

/** Email + password. When the email's organization enforces SSO, it offers SSO instead. */
export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail?: string }) {
  const [state, action, pending] = useActionState(signInAction, IDLE);
  return (
    <div className="grid gap-4">
      <form action={action} className="grid gap-4" aria-label="Sign in with email and password">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <FormMessage state={state} />
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
        <FormField
          label="Password"
          htmlFor="password"
          error={state.fieldErrors?.password}
          hint={
            <Link href="/forgot-password" className="underline-offset-4 hover:underline">
              Forgot your password?
            </Link>
          }
        >
          <PasswordInput id="password" name="password" autoComplete="current-password" required />
        </FormField>
        <SubmitButton className="w-full" pending={pending} pendingText="Signing in…">
          Sign in
        </SubmitButton>
      </form>
      {state.ssoEmail && (
        <SsoSignInForm key={state.ssoEmail} defaultEmail={state.ssoEmail} callbackUrl={callbackUrl} open />
      )}
    </div>
  );
}

import type { FieldErrors } from "@/lib/errors";

/** What the auth forms' server actions return to `useActionState`. */
export type AuthFormState = {
  status: "idle" | "error" | "success";
  message?: string;
  fieldErrors?: FieldErrors;
  /** Echoed back so a failed submission keeps what was typed (never the password). */
  values?: Record<string, string>;
  /** Set when the email must use its organization's SSO: the form offers the SSO button. */
  ssoEmail?: string;
  /** Development notice that the email went to the server log, not to an inbox. */
  mailNotice?: string;
};

export const IDLE: AuthFormState = { status: "idle" };

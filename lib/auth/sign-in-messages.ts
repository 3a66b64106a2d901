// No server imports: a plain lookup the sign-in page and the auth actions share.

/** Messages for codes and Auth.js error types that arrive in the sign-in page's query string. */
const SIGN_IN_ERROR_MESSAGES: Record<string, string> = {
  invalid_credentials: "Invalid email or password.",
  locked: "Too many attempts. Try again in a few minutes.",
  sso_required: "Your organization requires single sign-on. Continue with SSO.",
  SsoRequired: "Your organization requires single sign-on. Continue with SSO.",
  SsoDomain: "This identity provider cannot sign in that email address. Use your work email.",
  SsoUnverifiedAccount:
    "An account with this email exists but its email address is not verified. Verify it via the link we emailed to that address, or ask an admin.",
  SsoUnavailable: "Single sign-on for this organization is not available right now.",
  NoEmail: "Your identity provider did not share an email address, which is needed to sign in.",
  OAuthAccountNotLinked:
    "An account with this email already exists. Sign in the way you did before (for example with your password).",
  AccessDenied: "Sign-in was refused.",
  Verification: "This sign-in link is invalid or has expired.",
  Configuration: "Sign-in is not available right now. Please try again later.",
  CallbackRouteError: "Sign-in could not be completed. Please try again.",
  OAuthCallbackError: "The identity provider refused the sign-in. Please try again.",
  OAuthSignin: "Could not start sign-in with the identity provider.",
  CredentialsSignin: "Invalid email or password.",
  SessionRequired: "Sign in to continue.",
};

export function signInErrorMessage(error?: string | null, code?: string | null): string | null {
  if (!error && !code) return null;
  return (
    (code && SIGN_IN_ERROR_MESSAGES[code]) ||
    (error && SIGN_IN_ERROR_MESSAGES[error]) ||
    "Sign-in failed. Please try again."
  );
}

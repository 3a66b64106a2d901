import { CredentialsSignin } from "next-auth";
import { lockedOutMessage } from "./rate-limit";

/**
 * Password sign-in failures. Auth.js puts `code` in the `/sign-in?error=CredentialsSignin&code=`
 * redirect and rethrows the instance to a server-side `signIn()`, so either way the sign-in
 * page can say what went wrong.
 */
export class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
  readonly userMessage = "Invalid email or password.";
}

export class LockedOut extends CredentialsSignin {
  code = "locked";
  readonly userMessage: string;
  constructor(readonly retryAfterSeconds: number) {
    super();
    this.userMessage = lockedOutMessage(retryAfterSeconds);
  }
}

export class SsoRequired extends CredentialsSignin {
  code = "sso_required";
  readonly userMessage = "Your organization requires single sign-on. Continue with SSO.";
}

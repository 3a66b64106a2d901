"use server";

import { redirect, unstable_rethrow } from "next/navigation";
import { AuthError } from "next-auth";
import { z } from "zod";
import { safeParseInput } from "@/lib/api/input";
import { appOrigin } from "@/lib/app-origin";
import { getCurrentUser } from "@/lib/auth/session";
import { isProduction } from "@/lib/env";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { mailIsConfigured } from "@/lib/mail";
import { enforceLimit, ipKey } from "@/lib/rate-limit/enforce";
import type { PolicyName } from "@/lib/rate-limit/policies";
import { currentRequestMeta } from "@/lib/request-meta";
import { findSsoRouteForEmail } from "@/lib/sso/lookup";
import { withSsoConnection } from "@/lib/sso/provider";
import { ssoProviderId } from "@/lib/sso/provider-id";
import { credentialsSchema } from "./credentials";
import { resendVerificationEmail, verifyEmail } from "./email-verification";
import type { AuthFormState } from "./form-state";
import { signIn, signOut } from "./index";
import { requestPasswordReset, resetPassword } from "./password-reset";
import { newPasswordSchema } from "./password-rules";
import { availableOAuthProviders } from "./providers";
import { safeCallbackUrl } from "./search-params";
import { signInErrorMessage } from "./sign-in-messages";
import { signUp, signUpSchema } from "./sign-up";

const emailSchema = z.object({
  email: z
    .string({ error: "Enter your email." })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "Enter a valid email address." }).max(320, "That email is too long.")),
});

function text(formData: FormData, key: string): string {
  const value = formData.get(key);
  return typeof value === "string" ? value : "";
}

/** The form's callbackUrl as a path on this app (see safeCallbackUrl). */
async function callbackPath(formData: FormData, fallback?: string): Promise<string> {
  return safeCallbackUrl(text(formData, "callbackUrl"), await appOrigin(), fallback);
}

function mailNotice(): string | undefined {
  return !mailIsConfigured() && !isProduction()
    ? "Email is not configured: the link was written to the server log."
    : undefined;
}

function invalid(error: z.ZodError, values?: Record<string, string>): AuthFormState {
  return {
    status: "error",
    message: "Check the highlighted fields.",
    fieldErrors: fieldErrorsFromZod(error),
    values,
  };
}

/**
 * Counts this request against a policy keyed by the caller's IP (or `key`); past the limit the
 * form shows how long to wait. Password sign-in is limited inside `authorize` instead, which a
 * direct POST to the Auth.js callback also reaches.
 */
async function refusedByLimit(policy: PolicyName, key?: string): Promise<AuthFormState | null> {
  try {
    await enforceLimit(policy, key ?? ipKey((await currentRequestMeta()).ip));
    return null;
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited")
      return { status: "error", message: error.message };
    throw error;
  }
}

function unexpected(error: unknown, message = "Something went wrong. Please try again."): AuthFormState {
  console.error("[auth] action failed", error);
  return { status: "error", message };
}

/** Email + password. Success redirects (thrown by `signIn`); every refusal comes back as a message. */
export async function signInAction(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const values = { email: text(formData, "email") };
  const parsed = safeParseInput(credentialsSchema, {
    email: values.email,
    password: text(formData, "password"),
  });
  if (!parsed.success) return invalid(parsed.error, values);
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: await callbackPath(formData),
    });
    return { status: "success" };
  } catch (error) {
    unstable_rethrow(error);
    const refusal = credentialsRefusal(error);
    if (refusal) {
      const ssoEmail = refusal.code === "sso_required" ? parsed.data.email : undefined;
      return { status: "error", message: refusal.message, values, ssoEmail };
    }
    if (error instanceof AuthError) return unexpected(error, "Sign-in failed. Please try again.");
    return unexpected(error);
  }
}

/**
 * The refusal `authorize()` threw (lib/auth/errors.ts), read by shape rather than `instanceof`
 * so a second copy of the module in another bundle layer cannot turn it into a generic error.
 */
function credentialsRefusal(error: unknown): { code: string; message: string } | null {
  if (typeof error !== "object" || error === null) return null;
  const { type, code, userMessage } = error as { type?: unknown; code?: unknown; userMessage?: unknown };
  if (type !== "CredentialsSignin" || typeof code !== "string") return null;
  const message =
    typeof userMessage === "string" ? userMessage : (signInErrorMessage("CredentialsSignin", code) ?? "");
  return { code, message };
}

/** GitHub / Google: redirects to the provider (only the configured ones are accepted). */
export async function oauthSignInAction(formData: FormData): Promise<void> {
  const provider = availableOAuthProviders().find((p) => p.id === text(formData, "provider"));
  if (!provider) redirect("/sign-in?error=Configuration");
  await signIn(provider.id, { redirectTo: await callbackPath(formData) });
}

/**
 * "Continue with SSO": the email's domain picks the organization's connection, and the browser
 * goes to that IdP. Coming back, the user lands in that organization.
 */
export async function ssoSignInAction(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const values = { email: text(formData, "email") };
  const parsed = safeParseInput(emailSchema, values);
  if (!parsed.success) return invalid(parsed.error, values);
  const limited = await refusedByLimit("auth.ip");
  if (limited) return { ...limited, values };
  const route = await findSsoRouteForEmail(parsed.data.email);
  if (!route?.enabled) {
    const message = route
      ? "Single sign-on for this domain is turned off. Sign in another way, or ask your admin."
      : "No SSO connection for this domain.";
    return { status: "error", message, fieldErrors: { email: [message] }, values };
  }
  // Back to the page the user asked for when it is in that organization, else its dashboard.
  const home = `/${route.orgSlug}`;
  const wanted = await callbackPath(formData, home);
  const redirectTo = wanted === home || wanted.startsWith(`${home}/`) ? wanted : home;
  try {
    await withSsoConnection(route.connectionId, () =>
      signIn(ssoProviderId(route.connectionId), { redirectTo }, { login_hint: parsed.data.email }),
    );
    return { status: "success" };
  } catch (error) {
    unstable_rethrow(error);
    return unexpected(
      error,
      "Could not reach your organization's identity provider. Try again, or ask your admin.",
    );
  }
}

export async function signUpAction(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const values = { name: text(formData, "name"), email: text(formData, "email") };
  const parsed = safeParseInput(signUpSchema, {
    ...values,
    password: text(formData, "password"),
    invitationToken: text(formData, "invitation") || undefined,
    invitationProof: text(formData, "invitationProof") || undefined,
  });
  if (!parsed.success) return invalid(parsed.error, values);
  const limited = await refusedByLimit("signup.ip");
  if (limited) return { ...limited, values };
  try {
    await signUp(parsed.data);
  } catch (error) {
    if (error instanceof AppError) {
      // signUp refuses (forbidden) only emails whose organization enforces SSO.
      const ssoEmail = error.code === "forbidden" ? parsed.data.email : undefined;
      return { status: "error", message: error.message, fieldErrors: error.fieldErrors, values, ssoEmail };
    }
    return unexpected(error);
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: await callbackPath(formData),
    });
    return { status: "success" };
  } catch (error) {
    unstable_rethrow(error);
    return unexpected(error, "Your account was created, but signing in failed. Sign in to continue.");
  }
}

export async function forgotPasswordAction(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const values = { email: text(formData, "email") };
  const parsed = safeParseInput(emailSchema, values);
  if (!parsed.success) return invalid(parsed.error, values);
  const limited = await refusedByLimit("auth.ip");
  if (limited) return { ...limited, values };
  try {
    await requestPasswordReset(parsed.data.email);
  } catch (error) {
    return unexpected(error);
  }
  return {
    status: "success",
    message: `If an account exists for ${parsed.data.email}, we sent it a link to reset the password. The link works for 1 hour.`,
    mailNotice: mailNotice(),
    values,
  };
}

const resetSchema = z.object({
  token: z.string().min(1, "This link is incomplete. Open the link from the email again."),
  password: newPasswordSchema,
});

export async function resetPasswordAction(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const parsed = safeParseInput(resetSchema, {
    token: text(formData, "token"),
    password: text(formData, "password"),
  });
  if (!parsed.success) return invalid(parsed.error);
  const limited = await refusedByLimit("auth.ip");
  if (limited) return limited;
  try {
    await resetPassword(parsed.data.token, parsed.data.password);
  } catch (error) {
    if (error instanceof AppError) return { status: "error", message: error.message };
    return unexpected(error);
  }
  redirect("/sign-in?reset=1");
}

export async function verifyEmailAction(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const token = text(formData, "token");
  if (!token || token.includes("\u0000"))
    return { status: "error", message: "This link is incomplete. Open the link from the email again." };
  const limited = await refusedByLimit("auth.ip");
  if (limited) return limited;
  try {
    const email = await verifyEmail(token);
    return { status: "success", message: `${email} is verified. Thank you!` };
  } catch (error) {
    if (error instanceof AppError) return { status: "error", message: error.message };
    return unexpected(error);
  }
}

export async function resendVerificationAction(_prev: AuthFormState): Promise<AuthFormState> {
  const user = await getCurrentUser();
  if (!user) return { status: "error", message: "Sign in to continue." };
  const limited = (await refusedByLimit("auth.ip")) ?? (await refusedByLimit("mail.user", user.id));
  if (limited) return limited;
  try {
    const result = await resendVerificationEmail(user.id);
    if (result.alreadyVerified) return { status: "success", message: "Your email is already verified." };
    if (!result.sent) {
      return { status: "error", message: "We just sent a link. Wait a minute before asking for another." };
    }
    return { status: "success", message: `We sent a new link to ${user.email}.`, mailNotice: mailNotice() };
  } catch (error) {
    return unexpected(error);
  }
}

/** Used by the user menu: revokes this session (events.signOut) and clears the cookie. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}

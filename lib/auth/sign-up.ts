import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { invitationProvesEmail } from "@/lib/invitations/email-proof";
import { enforcedSsoFor } from "@/lib/sso/lookup";
import { sendVerificationEmail } from "./email-verification";
import { hashPassword } from "./password";
import { PASSWORD_MAX_LENGTH, passwordProblems } from "./password-rules";

export const signUpSchema = z
  .object({
    name: z
      .string({ error: "Enter your name." })
      .trim()
      .min(1, "Enter your name.")
      .max(100, "Use at most 100 characters."),
    email: z
      .string({ error: "Enter your email." })
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: "Enter a valid email address." }).max(320, "That email is too long.")),
    password: z
      .string({ error: "Choose a password." })
      .max(PASSWORD_MAX_LENGTH, "That password is too long."),
    /** From an invitation link: the token and the proof only the invitation email carries. */
    invitationToken: z.string().max(100).optional(),
    invitationProof: z.string().max(100).optional(),
  })
  .superRefine((value, ctx) => {
    for (const message of passwordProblems(value.password, { email: value.email })) {
      ctx.addIssue({ code: "custom", path: ["password"], message });
    }
  });

export type SignUpInput = z.infer<typeof signUpSchema>;

const SSO_REQUIRED_MESSAGE = "Your organization requires single sign-on. Continue with SSO.";

/**
 * Creates a password account and mails a verification link (the account works before that). An
 * account created from the mailed link of a usable invitation to this same address starts
 * verified: opening that link already proved the mailbox is the user's.
 */
export async function signUp(
  input: SignUpInput,
): Promise<{ id: string; email: string; emailVerified: boolean }> {
  if (await enforcedSsoFor(input.email)) {
    throw new AppError("forbidden", SSO_REQUIRED_MESSAGE, { fieldErrors: { email: [SSO_REQUIRED_MESSAGE] } });
  }
  const emailVerified =
    input.invitationToken && input.invitationProof
      ? await invitationProvesEmail({
          token: input.invitationToken,
          proof: input.invitationProof,
          email: input.email,
        })
      : false;
  const passwordHash = await hashPassword(input.password);
  const db = await getDb();
  let user: { id: string; email: string; name: string | null } | undefined;
  try {
    [user] = await db
      .insert(users)
      .values({
        name: input.name,
        email: input.email,
        passwordHash,
        emailVerified: emailVerified ? new Date() : null,
      })
      .returning({ id: users.id, email: users.email, name: users.name });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  if (!user) {
    throw new AppError("conflict", "An account with this email already exists.", {
      fieldErrors: {
        email: [
          "An account with this email already exists. Sign in, or reset your password if you forgot it.",
        ],
      },
    });
  }
  if (!emailVerified) {
    // The account exists either way; a mail outage must not turn sign-up into an error (resend later).
    await sendVerificationEmail(user).catch((error) =>
      console.error("[auth] verification email failed", error),
    );
  }
  return { id: user.id, email: user.email, emailVerified };
}

import { z } from "zod";

/**
 * Password rules, shared by the server (validation) and the browser (the live checklist beside
 * the field), so this module must stay free of server-only imports.
 */
export const PASSWORD_MIN_LENGTH = 10;
// Hashing cost grows with input; a cap keeps a huge "password" from tying up the server.
export const PASSWORD_MAX_LENGTH = 256;

// The bases of the most used passwords; a few digits or symbols around them add little.
const COMMON_BASES = new Set([
  "password",
  "passw0rd",
  "p@ssword",
  "p@ssw0rd",
  "qwerty",
  "qwertyuiop",
  "azerty",
  "letmein",
  "welcome",
  "admin",
  "administrator",
  "iloveyou",
  "dragon",
  "monkey",
  "football",
  "baseball",
  "sunshine",
  "princess",
  "superman",
  "batman",
  "starwars",
  "trustno1",
  "master",
  "secret",
  "changeme",
  "login",
  "abc",
  "abcdef",
  "hello",
  "freedom",
  "whatever",
  "shadow",
  "michael",
  "jennifer",
  "computer",
  "internet",
  "default",
  "test",
  "guest",
  "user",
  "root",
  "dafnck",
  "dafnckmachine",
]);

const SEQUENCES = [
  "abcdefghijklmnopqrstuvwxyz",
  "zyxwvutsrqponmlkjihgfedcba",
  "01234567890",
  "09876543210",
  "qwertyuiopasdfghjklzxcvbnm",
  "azertyuiopqsdfghjklmwxcvbn",
  "1qaz2wsx3edc4rfv5tgb",
];

function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
}

function looksCommon(password: string, email?: string): boolean {
  const lower = password.toLowerCase();
  const base = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (COMMON_BASES.has(base) || COMMON_BASES.has(lower)) return true;
  if (new Set(lower).size < 4) return true;
  if (base.length >= 6 && SEQUENCES.some((s) => s.includes(base))) return true;
  // A pattern with a few characters tacked on either end ("1234567890a") is still a pattern.
  for (let start = 0; start <= 3; start++) {
    for (let end = 0; end <= 3; end++) {
      const core = lower.slice(start, lower.length - end);
      if (core.length >= 6 && SEQUENCES.some((s) => s.includes(core))) return true;
    }
  }
  const local = email?.split("@")[0]?.toLowerCase();
  return Boolean(local && local.length >= 4 && lower.includes(local));
}

/** Every rule the password breaks, in the words shown to the user (empty when it is acceptable). */
export function passwordProblems(password: string, context: { email?: string } = {}): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  if (characterClasses(password) < 2)
    problems.push("Mix at least two kinds of characters: lowercase, uppercase, digits or symbols.");
  if (password.length >= PASSWORD_MIN_LENGTH && looksCommon(password, context.email))
    problems.push("This password is too easy to guess. Avoid common words, patterns and your email.");
  return problems;
}

/** The rules as shown beside password fields, each with whether `password` meets it. */
export function passwordChecklist(password: string, context: { email?: string } = {}) {
  const long = password.length >= PASSWORD_MIN_LENGTH && password.length <= PASSWORD_MAX_LENGTH;
  return [
    { rule: `At least ${PASSWORD_MIN_LENGTH} characters`, ok: long },
    {
      rule: "Two kinds of characters or more: lowercase, uppercase, digits, symbols",
      ok: characterClasses(password) >= 2,
    },
    {
      rule: "Not a common password, a keyboard pattern or your email",
      ok: password.length > 0 && !looksCommon(password, context.email),
    },
  ];
}

/** A new password (sign-up, reset). Sign-in accepts any string so old passwords keep working. */
export const newPasswordSchema = z.string({ error: "Enter a password." }).superRefine((value, ctx) => {
  for (const message of passwordProblems(value)) ctx.addIssue({ code: "custom", message });
});

/**
 * Every rate limit in one table (README "Rate limits" mirrors it). `points` requests per
 * `duration` seconds per key; `key` says what the counter is keyed by.
 */
export type PolicyKey = "user" | "org" | "ip" | "ip+account" | "account" | "api_key";
export type Policy = { points: number; duration: number; key: PolicyKey; applies: string };

export const POLICIES = {
  "api.user": {
    points: 300,
    duration: 60,
    key: "user",
    applies: "every API request and server action of a signed-in user",
  },
  "api.org": {
    points: 1000,
    duration: 60,
    key: "org",
    applies: "every API request and server action in one organization",
  },
  // REST API v1 (lib/api/v1/rate-limits.ts): every key, and its organization by plan.
  "api.key": { points: 1200, duration: 60, key: "api_key", applies: "every /api/v1 request of one API key" },
  "api.org.free": {
    points: 600,
    duration: 60,
    key: "org",
    applies: "every /api/v1 request in one organization on the free plan",
  },
  "api.org.team": {
    points: 3000,
    duration: 60,
    key: "org",
    applies: "every /api/v1 request in one organization on the team plan",
  },
  "api.org.enterprise": {
    points: 20_000,
    duration: 60,
    key: "org",
    applies: "every /api/v1 request in one organization on the enterprise plan",
  },
  "knowledge.search.user": {
    points: 120,
    duration: 60,
    key: "user",
    applies: "knowledge searches of one user (each may embed the query with the organization's provider)",
  },
  "knowledge.upload.user": {
    points: 60,
    duration: 600,
    key: "user",
    applies: "knowledge document uploads (new documents and new versions) of one user",
  },
  "auth.ip": {
    points: 20,
    duration: 60,
    key: "ip",
    applies:
      "password sign-in (form and Auth.js callback), Continue with SSO, password reset request, resend verification",
  },
  "signup.ip": { points: 5, duration: 600, key: "ip", applies: "sign-up" },
  "invite.accept.ip": { points: 10, duration: 600, key: "ip", applies: "accepting an invitation" },
  "mail.user": { points: 5, duration: 3600, key: "user", applies: "resending the verification email" },
  "signin.failures.ip": {
    points: 50,
    duration: 3600,
    key: "ip",
    applies: "failed password sign-ins from one IP across accounts; past it the IP waits out the hour",
  },
  "signin.failures.account": {
    points: 100,
    duration: 3600,
    key: "account",
    applies:
      "failed password sign-ins on one account from all IPs; past it each attempt waits 1 s, never refused",
  },
  "signin.failures.ip+account": {
    points: 1_000_000,
    duration: 86_400,
    key: "ip+account",
    applies: "consecutive failures from one IP on one account (reset by a success); they set the delay below",
  },
  // Only blocked, never consumed: holds the progressive delay of one IP on one account.
  "signin.delay.ip+account": {
    points: 1,
    duration: 1,
    key: "ip+account",
    applies:
      "after 3 free consecutive failures that IP waits 1 s, 2 s, 4 s … (capped at 15 min) before its next try on that account",
  },
  "git.key": {
    points: 600,
    duration: 60,
    key: "api_key",
    applies: "git over HTTPS requests (clone, fetch, push) made with one API key",
  },
  "mcp.key": {
    points: 600,
    duration: 60,
    key: "api_key",
    applies: "every request to the MCP server (/api/mcp) with one API key",
  },
} as const satisfies Record<string, Policy>;

export type PolicyName = keyof typeof POLICIES;

/**
 * The progressive delay after `failures` consecutive failures from one IP on one account: none
 * for the first few (typos), then doubling from 1 s up to the cap.
 */
export const SIGN_IN_FREE_FAILURES = 3;
export const SIGN_IN_DELAY_CAP_SECONDS = 15 * 60;
export function signInDelaySeconds(failures: number): number {
  const over = failures - SIGN_IN_FREE_FAILURES;
  if (over <= 0) return 0;
  return Math.min(2 ** Math.min(over - 1, 30), SIGN_IN_DELAY_CAP_SECONDS);
}

/** How long an account past its failure ceiling slows each attempt (the real user is slowed, not locked). */
export const ACCOUNT_CEILING_DELAY_MS = 1000;

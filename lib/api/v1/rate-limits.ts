import type { RateLimiterRes } from "rate-limiter-flexible";
import { rateLimitedError, retryAfterSeconds } from "@/lib/rate-limit/enforce";
import { limiterFor } from "@/lib/rate-limit/index";
import { POLICIES, type PolicyName } from "@/lib/rate-limit/policies";

export const ORG_PLANS = ["free", "team", "enterprise"] as const;
export type OrgPlan = (typeof ORG_PLANS)[number];

/** The per-organization policy of a plan; an unknown plan counts as free. */
export function orgPolicyOf(plan: string): PolicyName {
  const known = (ORG_PLANS as readonly string[]).includes(plan) ? (plan as OrgPlan) : "free";
  return `api.org.${known}`;
}

/** What the RateLimit-* headers say: the tighter of the counters this request touched. */
export type RateLimitState = { limit: number; remaining: number; resetSeconds: number };

export function rateLimitHeaders(state: RateLimitState | null): Record<string, string> {
  if (!state) return {};
  return {
    "ratelimit-limit": String(state.limit),
    "ratelimit-remaining": String(Math.max(0, state.remaining)),
    "ratelimit-reset": String(state.resetSeconds),
  };
}

const isRes = (v: unknown): v is RateLimiterRes =>
  typeof v === "object" && v !== null && "msBeforeNext" in v && !(v instanceof Error);

/**
 * Counts one /api/v1 request against its key (`api.key`) and its organization's plan
 * (`api.org.<plan>`). Past either: 429 with Retry-After (the error carries the headers' state).
 */
export async function enforceV1Limits(keyId: string, orgId: string, plan: string): Promise<RateLimitState> {
  const checks: [PolicyName, string][] = [
    ["api.key", keyId],
    [orgPolicyOf(plan), orgId],
  ];
  // Both counters in parallel: each is one atomic upsert, and this runs on every request.
  const states = await Promise.all(
    checks.map(async ([name, key]) => {
      const limiter = await limiterFor(name);
      const points = POLICIES[name].points;
      try {
        const res = await limiter.consume(key, 1);
        return {
          limit: points,
          remaining: res.remainingPoints,
          resetSeconds: retryAfterSeconds(res.msBeforeNext),
        };
      } catch (error) {
        if (!isRes(error)) throw error;
        const seconds = retryAfterSeconds(error.msBeforeNext);
        throw Object.assign(rateLimitedError(seconds), {
          rateLimit: { limit: points, remaining: 0, resetSeconds: seconds } satisfies RateLimitState,
        });
      }
    }),
  );
  const tightest = states.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  return tightest as RateLimitState;
}

import ipaddr from "ipaddr.js";
import { AppError } from "@/lib/errors";
import { limiterFor } from "./index";
import type { PolicyName } from "./policies";

export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

/** "1 second", "45 seconds", "15 minutes": how long to wait, for messages. */
export function waitText(seconds: number): string {
  return seconds < 120
    ? `${seconds} second${seconds === 1 ? "" : "s"}`
    : `${Math.ceil(seconds / 60)} minutes`;
}

export function rateLimitedError(seconds: number): AppError {
  return new AppError("rate_limited", `Too many requests. Try again in ${waitText(seconds)}.`, {
    retryAfterSeconds: seconds,
  });
}

/**
 * Counts one hit of `key` against a policy; past the limit throws `rate_limited` (429 with
 * Retry-After from routes, an error result from actions).
 */
export async function enforceLimit(name: PolicyName, key: string, points = 1): Promise<void> {
  const limiter = await limiterFor(name);
  try {
    await limiter.consume(key, points);
  } catch (error) {
    // The limiter rejects with an Error when its store fails, with a RateLimiterRes when over the limit.
    if (error instanceof Error) throw error;
    throw rateLimitedError(retryAfterSeconds((error as { msBeforeNext: number }).msBeforeNext));
  }
}

/**
 * The key for per-IP policies. An IPv6 client picks any address in its /64, so the prefix is
 * the unit; without a trusted client IP (lib/request-meta.ts) every caller shares one bucket.
 */
export function ipKey(ip: string | null): string {
  if (!ip || !ipaddr.isValid(ip)) return "unknown";
  const addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv6")
    return `${(addr as ipaddr.IPv6).toNormalizedString().split(":").slice(0, 4).join(":")}::/64`;
  return addr.toString();
}

import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { env } from "@/lib/env";
import { POLICIES, type PolicyName } from "./policies";
import { createPostgresStore } from "./postgres-store";
import { createRedisStore } from "./redis-store";
import type { RateLimitStore } from "./store";

// One store per process, shared by the module copies Next loads (like the database client).
const globalForRateLimit = globalThis as unknown as {
  __dmRateLimit?: Promise<RateLimitStore>;
  __dmLimiters?: Map<PolicyName, RateLimiterAbstract>;
};

async function open(): Promise<RateLimitStore> {
  const url = env().REDIS_URL;
  return url ? createRedisStore(url) : createPostgresStore(await getDb());
}

/** Redis when REDIS_URL is set, else the app's database. */
export function rateLimitStore(): Promise<RateLimitStore> {
  globalForRateLimit.__dmRateLimit ??= open().catch((error) => {
    globalForRateLimit.__dmRateLimit = undefined;
    throw error;
  });
  return globalForRateLimit.__dmRateLimit;
}

/** The limiter of a named policy (lib/rate-limit/policies.ts). */
export async function limiterFor(name: PolicyName): Promise<RateLimiterAbstract> {
  const store = await rateLimitStore();
  globalForRateLimit.__dmLimiters ??= new Map();
  const limiters = globalForRateLimit.__dmLimiters;
  let limiter = limiters.get(name);
  if (!limiter) {
    limiter = store.limiter({ name, ...POLICIES[name] });
    limiters.set(name, limiter);
  }
  return limiter;
}

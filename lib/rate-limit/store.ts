import type { RateLimiterAbstract } from "rate-limiter-flexible";

export type LimiterSpec = { name: string; points: number; duration: number };

/**
 * Where rate-limit counters live: the database (embedded default) or Redis. Callers get a
 * rate-limiter-flexible limiter per policy and never know which store holds it.
 */
export interface RateLimitStore {
  readonly driver: "postgres" | "redis";
  limiter(spec: LimiterSpec): RateLimiterAbstract;
  /** Deletes counters that have expired; returns how many (Redis expires keys itself: 0). */
  clearExpired(): Promise<number>;
  close(): Promise<void>;
}

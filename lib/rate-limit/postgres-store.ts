import { lt } from "drizzle-orm";
import { RateLimiterDrizzle } from "rate-limiter-flexible";
import type { Db } from "@/db";
import { rateLimits } from "@/db/schema";
import type { LimiterSpec, RateLimitStore } from "./store";

/**
 * Counters in the `rate_limits` table through rate-limiter-flexible's Drizzle store (one atomic
 * INSERT … ON CONFLICT per hit), on the same client as the rest of the app: PGlite or Postgres.
 */
export function createPostgresStore(db: Db): RateLimitStore {
  return {
    driver: "postgres",
    limiter: (spec: LimiterSpec) =>
      new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix: spec.name,
        points: spec.points,
        duration: spec.duration,
        // The nightly cleanup deletes expired rows; one timer per limiter would only duplicate it.
        clearExpiredByTimeout: false,
      }),
    async clearExpired() {
      const deleted = await db
        .delete(rateLimits)
        .where(lt(rateLimits.expire, new Date()))
        .returning({ key: rateLimits.key });
      return deleted.length;
    },
    close: async () => {},
  };
}

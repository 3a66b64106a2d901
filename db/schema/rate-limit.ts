import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Rate-limit counters (lib/rate-limit, the Postgres store of rate-limiter-flexible). Not tenant
 * data: keys name a policy and a user, organization or IP, so there is no org_id and no RLS.
 * Expired rows are deleted by the nightly cleanup.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull().default(0),
    expire: timestamp("expire", { withTimezone: true }),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);

import { and, isNotNull, lt, or } from "drizzle-orm";
import { cron } from "inngest";
import { getDb } from "@/db";
import { authTokens, signInAttempts } from "@/db/schema";
import { purgeExpiredIdempotencyKeys } from "@/lib/api/v1/idempotency";
import { rateLimitStore } from "@/lib/rate-limit";
import { inngest } from "../client";
import { authCleanupRequested } from "../events";

/** Sign-in attempts only matter for lockout (minutes); a month is kept for investigating abuse. */
export const SIGN_IN_ATTEMPT_RETENTION_DAYS = 30;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/**
 * Nightly (and on request): drops expired or used one-time auth tokens, old sign-in attempts and
 * expired rate-limit counters and Idempotency-Key records.
 */
export const cleanupAuthRecords = inngest.createFunction(
  {
    id: "cleanup-auth-records",
    name: "Clean up expired auth records",
    retries: 3,
    triggers: [cron("0 3 * * *"), authCleanupRequested],
  },
  async ({ step }) => {
    const tokens = await step.run("delete-expired-auth-tokens", async () => {
      const db = await getDb();
      const now = new Date();
      const deleted = await db
        .delete(authTokens)
        .where(
          or(
            lt(authTokens.expiresAt, now),
            and(isNotNull(authTokens.usedAt), lt(authTokens.usedAt, daysAgo(1))),
          ),
        )
        .returning({ id: authTokens.id });
      return deleted.length;
    });
    const attempts = await step.run("delete-old-sign-in-attempts", async () => {
      const db = await getDb();
      const deleted = await db
        .delete(signInAttempts)
        .where(lt(signInAttempts.createdAt, daysAgo(SIGN_IN_ATTEMPT_RETENTION_DAYS)))
        .returning({ id: signInAttempts.id });
      return deleted.length;
    });
    // Expired rate-limit counters (the database store; Redis expires its keys itself).
    const rateLimits = await step.run("delete-expired-rate-limits", async () =>
      (await rateLimitStore()).clearExpired(),
    );
    // Idempotency-Key records of REST v1 are kept 24 hours (lib/api/v1/idempotency.ts).
    const idempotencyKeys = await step.run("delete-expired-idempotency-keys", () =>
      purgeExpiredIdempotencyKeys(),
    );
    return { tokens, attempts, rateLimits, idempotencyKeys };
  },
);

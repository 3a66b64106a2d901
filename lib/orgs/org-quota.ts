import { count, eq, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "@/db";
import { AppError } from "@/lib/errors";

/**
 * Refuses creating one more of something an organization may have at most `max` of (webhook
 * endpoints, MCP servers): counted under a transaction-scoped advisory lock on (what, org), so two
 * concurrent creations cannot both take the last place.
 */
export async function assertOrgQuota(
  tx: Tx,
  opts: { orgId: string; table: PgTable; orgColumn: PgColumn; max: number; what: string },
): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`quota:${opts.what}:${opts.orgId}`}, 0))`,
  );
  const [row] = await tx.select({ n: count() }).from(opts.table).where(eq(opts.orgColumn, opts.orgId));
  if ((row?.n ?? 0) >= opts.max) {
    throw new AppError(
      "conflict",
      `An organization can have at most ${opts.max} ${opts.what}. Delete one you no longer use first.`,
    );
  }
}

import "server-only";
import { and, eq, or } from "drizzle-orm";
import { checks } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import type { CheckExecutionFacts } from "./execution-notices";

/**
 * The run's checks that tell how its code was executed: install steps (with or without network)
 * and checks skipped for want of a sandbox. Scoped by organization like every tenant query.
 */
export async function readRunExecutionFacts(ctx: OrgContext, runId: string): Promise<CheckExecutionFacts[]> {
  return ctx.tx((tx) =>
    tx
      .select({ kind: checks.kind, driver: checks.driver, network: checks.network })
      .from(checks)
      .where(
        and(
          eq(checks.orgId, ctx.org.id),
          eq(checks.runId, runId),
          or(eq(checks.kind, "install"), eq(checks.driver, "none")),
        ),
      )
      .limit(200),
  );
}

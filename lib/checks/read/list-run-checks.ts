import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { checks } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { type CheckInfo, checkInfoColumns, toCheckInfo } from "./check-info";
import { findRunOfProject } from "./find-run-of-project";

/** At most this many checks in one list (a run has a few per task attempt). */
export const RUN_CHECKS_LIMIT = 1_000;

/** A run's checks without their logs, newest first. */
export async function listRunChecks(
  ctx: OrgContext,
  projectSlug: string,
  runId: string,
): Promise<CheckInfo[]> {
  return ctx.tx(async (tx) => {
    const { run } = await findRunOfProject(tx, ctx.org.id, projectSlug, runId);
    const rows = await tx
      .select(checkInfoColumns(checks))
      .from(checks)
      .where(and(eq(checks.orgId, ctx.org.id), eq(checks.runId, run.id)))
      .orderBy(desc(checks.createdAt), desc(checks.id))
      .limit(RUN_CHECKS_LIMIT);
    return rows.map(toCheckInfo);
  });
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { checks } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { isUuid } from "@/lib/runs/schemas";
import { type CheckDetail, checkInfoColumns, toCheckInfo } from "./check-info";
import { findRunOfProject } from "./find-run-of-project";

/** One of a run's checks with its log; 404 unless it belongs to this org, project and run. */
export async function getCheck(
  ctx: OrgContext,
  projectSlug: string,
  runId: string,
  checkId: string,
): Promise<CheckDetail> {
  return ctx.tx(async (tx) => {
    const { run } = await findRunOfProject(tx, ctx.org.id, projectSlug, runId);
    if (!isUuid(checkId)) throw notFound("Check not found.");
    const [row] = await tx
      .select({ ...checkInfoColumns(checks), log: checks.log })
      .from(checks)
      .where(and(eq(checks.orgId, ctx.org.id), eq(checks.runId, run.id), eq(checks.id, checkId)))
      .limit(1);
    if (!row) throw notFound("Check not found.");
    const { log, ...info } = row;
    return { ...toCheckInfo(info), log };
  });
}

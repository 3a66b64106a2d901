import { and, eq, max } from "drizzle-orm";
import type { Tx } from "@/db";
import { projects, runs } from "@/db/schema";

/**
 * The project's next run number. The project row is locked for the rest of the transaction, so
 * two runs started at once get consecutive numbers instead of colliding on the unique index.
 */
export async function nextRunNumber(tx: Tx, orgId: string, projectId: string): Promise<number> {
  await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), eq(projects.id, projectId)))
    .for("update");
  const [row] = await tx
    .select({ n: max(runs.number) })
    .from(runs)
    .where(and(eq(runs.orgId, orgId), eq(runs.projectId, projectId)));
  return (row?.n ?? 0) + 1;
}

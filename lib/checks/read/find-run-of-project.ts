import type { Tx } from "@/db";
import { notFound } from "@/lib/errors";
import { findProjectRow } from "@/lib/projects/queries";
import { findRunRow } from "@/lib/runs/queries";

/** The project (by slug) and its run (by id) in this organization; 404 when either is not. */
export async function findRunOfProject(tx: Tx, orgId: string, projectSlug: string, runId: string) {
  const project = await findProjectRow(tx, orgId, projectSlug);
  const run = await findRunRow(tx, orgId, runId);
  if (run.projectId !== project.id) throw notFound("Run not found.");
  return { project, run };
}

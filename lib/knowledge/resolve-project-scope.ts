import type { Tx } from "@/db";
import { AppError } from "@/lib/errors";
import { findProjectRow } from "@/lib/projects/queries";

/**
 * The project a knowledge request names by slug (404 when the organization has none such), or
 * null for the organization's own knowledge. Writes to an archived project are refused.
 */
export async function resolveProjectScope(
  tx: Tx,
  orgId: string,
  slug: string | null | undefined,
  opts: { write?: boolean } = {},
): Promise<string | null> {
  if (!slug) return null;
  const project = await findProjectRow(tx, orgId, slug);
  if (opts.write && project.status === "archived") {
    throw new AppError("conflict", "This project is archived. Unarchive it before changing its knowledge.");
  }
  return project.id;
}

import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { type KnowledgeDocumentRow, knowledgeDocuments, projects } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An insight of this organization by id, locked for the change; any other id is "not found".
 * Callers change or delete it: one in an archived project is refused (its knowledge is read-only).
 */
export async function findInsightRow(tx: Tx, orgId: string, id: string): Promise<KnowledgeDocumentRow> {
  if (!UUID.test(id)) throw notFound("Insight not found.");
  const [row] = await tx
    .select()
    .from(knowledgeDocuments)
    .where(
      and(
        eq(knowledgeDocuments.orgId, orgId),
        eq(knowledgeDocuments.id, id),
        eq(knowledgeDocuments.source, "insight"),
      ),
    )
    .limit(1)
    .for("update");
  if (!row) throw notFound("Insight not found.");
  if (row.projectId) {
    const [project] = await tx
      .select({ status: projects.status })
      .from(projects)
      .where(and(eq(projects.orgId, orgId), eq(projects.id, row.projectId)))
      .limit(1);
    if (project?.status === "archived")
      throw new AppError("conflict", "This project is archived. Unarchive it before changing its knowledge.");
  }
  return row;
}

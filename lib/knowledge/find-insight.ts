import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { type KnowledgeDocumentRow, knowledgeDocuments } from "@/db/schema";
import { notFound } from "@/lib/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An insight of this organization by id, locked for the change; any other id is "not found". */
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
  return row;
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { knowledgeDocuments } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { findInsightRow } from "./find-insight";

/** A member removes any insight; its versions and chunks go with it (cascade). Audited. */
export async function deleteInsight(ctx: OrgContext, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const row = await findInsightRow(tx, ctx.org.id, id);
    await tx
      .delete(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.orgId, ctx.org.id), eq(knowledgeDocuments.id, row.id)));
    await ctx.audit(tx, {
      action: "knowledge.insight_delete",
      target: { type: "knowledge_document", id: row.id },
      metadata: { title: row.title, runId: row.runId },
    });
  });
}

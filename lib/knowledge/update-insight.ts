import "server-only";
import { and, eq } from "drizzle-orm";
import { knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { findInsightRow } from "./find-insight";
import { type UpdateInsightInput, updateInsightSchema } from "./insight-schemas";
import { readInsights } from "./list-insights";
import { saveInsightDocument } from "./save-insight";
import type { KnowledgeInsightView } from "./types";

/**
 * A member edits any insight (an agent's too): a new body is a new version, re-chunked; its run,
 * task and agent stay. Audited with the fields changed.
 */
export async function updateInsight(
  ctx: OrgContext,
  id: string,
  input: UpdateInsightInput,
): Promise<KnowledgeInsightView> {
  const patch = updateInsightSchema.parse(input);
  return ctx.tx(async (tx) => {
    const row = await findInsightRow(tx, ctx.org.id, id);
    const [current] = await tx
      .select({ text: knowledgeDocumentVersions.text })
      .from(knowledgeDocumentVersions)
      .where(
        and(
          eq(knowledgeDocumentVersions.orgId, ctx.org.id),
          eq(knowledgeDocumentVersions.documentId, row.id),
          eq(knowledgeDocumentVersions.version, row.currentVersion),
        ),
      );
    const saved = await saveInsightDocument(tx, {
      orgId: ctx.org.id,
      projectId: row.projectId,
      // Member-added insights and old rows always have one; the id stands in otherwise.
      key: row.key ?? `insight:${row.id}`,
      title: patch.title ?? row.title,
      body: patch.body ?? current?.text ?? "",
      tags: patch.tags ?? row.tags,
      userId: ctx.user.id,
    });
    if (saved.changed) {
      await ctx.audit(tx, {
        action: "knowledge.insight_update",
        target: { type: "knowledge_document", id: row.id },
        metadata: { fields: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined) },
      });
    }
    const [view] = await readInsights(tx, ctx.org.id, eq(knowledgeDocuments.id, row.id), 1);
    if (!view) throw new Error("The insight was not saved.");
    return view;
  });
}

import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { knowledgeDocuments } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import { type AddInsightInput, addInsightSchema } from "./insight-schemas";
import { readInsights } from "./list-insights";
import { saveInsightDocument } from "./save-insight";
import type { KnowledgeInsightView } from "./types";

/** A member writes an insight by hand, for a project (by slug) or the whole organization. Audited. */
export async function addInsight(ctx: OrgContext, input: AddInsightInput): Promise<KnowledgeInsightView> {
  const { project, title, body, tags } = addInsightSchema.parse(input);
  return ctx.tx(async (tx) => {
    const projectId = project ? (await findProjectRow(tx, ctx.org.id, project)).id : null;
    const saved = await saveInsightDocument(tx, {
      orgId: ctx.org.id,
      projectId,
      key: `insight:member:${randomUUID()}`,
      title,
      body,
      tags: tags ?? [],
      userId: ctx.user.id,
    });
    await ctx.audit(tx, {
      action: "knowledge.insight_add",
      target: { type: "knowledge_document", id: saved.id },
      metadata: { title, project: project ?? null },
    });
    const [view] = await readInsights(tx, ctx.org.id, eq(knowledgeDocuments.id, saved.id), 1);
    if (!view) throw new Error("The insight was not saved.");
    return view;
  });
}

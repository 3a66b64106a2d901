import "server-only";
import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import type { Tx } from "@/db";
import { knowledgeDocuments, knowledgeDocumentVersions, runs, runTasks, users } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import type { KnowledgeInsightView } from "./types";

/** How many insights one list shows (newest first). */
export const INSIGHTS_LIST_MAX = 200;

/** Insights of the organization matching `where`, as the API and the Knowledge page show them. */
export async function readInsights(
  tx: Tx,
  orgId: string,
  where: SQL | undefined,
  limit = INSIGHTS_LIST_MAX,
): Promise<KnowledgeInsightView[]> {
  const rows = await tx
    .select({
      doc: knowledgeDocuments,
      body: knowledgeDocumentVersions.text,
      runNumber: runs.number,
      taskKey: runTasks.key,
      creator: { id: users.id, name: users.name, email: users.email },
    })
    .from(knowledgeDocuments)
    .leftJoin(
      knowledgeDocumentVersions,
      and(
        eq(knowledgeDocumentVersions.orgId, orgId),
        eq(knowledgeDocumentVersions.documentId, knowledgeDocuments.id),
        eq(knowledgeDocumentVersions.version, knowledgeDocuments.currentVersion),
      ),
    )
    .leftJoin(runs, and(eq(runs.orgId, orgId), eq(runs.id, knowledgeDocuments.runId)))
    .leftJoin(runTasks, and(eq(runTasks.orgId, orgId), eq(runTasks.id, knowledgeDocuments.taskId)))
    .leftJoin(users, eq(users.id, knowledgeDocuments.createdById))
    .where(and(eq(knowledgeDocuments.orgId, orgId), eq(knowledgeDocuments.source, "insight"), where))
    .orderBy(desc(knowledgeDocuments.createdAt), desc(knowledgeDocuments.id))
    .limit(limit);
  return rows.map(({ doc, body, runNumber, taskKey, creator }) => ({
    id: doc.id,
    projectId: doc.projectId,
    title: doc.title,
    body: body ?? "",
    tags: doc.tags,
    runId: doc.runId,
    runNumber: runNumber ?? null,
    taskKey: taskKey ?? null,
    agentSlug: doc.agentSlug,
    createdBy: creator?.id ? { id: creator.id, name: creator.name, email: creator.email } : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  }));
}

/**
 * The insights of one project (by slug), or the organization's own when no project is named —
 * agents' (with their run, task and agent) and members', newest first.
 */
export async function listInsights(
  ctx: OrgContext,
  query: { project?: string } = {},
): Promise<KnowledgeInsightView[]> {
  return ctx.tx(async (tx) => {
    const projectId = query.project ? (await findProjectRow(tx, ctx.org.id, query.project)).id : null;
    return readInsights(
      tx,
      ctx.org.id,
      projectId ? eq(knowledgeDocuments.projectId, projectId) : isNull(knowledgeDocuments.projectId),
    );
  });
}

import { and, eq, gt, sql } from "drizzle-orm";
import { getDb, withTenant } from "@/db";
import { auditLogs } from "@/db/schema";
import { rows } from "@/lib/engine/store";
import { pendingChunksWhere } from "./pending-chunks";
import { EMBEDDING_FAILED_ACTION } from "./record-embedding-failure";
import { resolveEmbeddingModel } from "./resolve-embedding-model";

/** After a permanent failure the sweep leaves the organization alone this long (a settings change or upload still tries). */
const QUIET_AFTER_FAILURE_MS = 6 * 60 * 60_000;
const MAX_ORGS_PER_SWEEP = 500;

/**
 * The organizations with chunks that lack an embedding from their current model, for the sweep
 * (system scope: it lists organizations that have knowledge, then checks each under its own tenant).
 * Skips those with no model, and those whose model failed for good recently.
 */
export async function orgsNeedingEmbeddings(): Promise<string[]> {
  const db = await getDb();
  const orgs = await rows<{ orgId: string }>(
    db,
    sql`select distinct org_id as "orgId" from knowledge_chunks limit ${MAX_ORGS_PER_SWEEP}`,
  );
  const due: string[] = [];
  for (const { orgId } of orgs) {
    const model = await resolveEmbeddingModel(orgId).catch(() => null);
    if (!model) continue;
    const needed = await withTenant({ orgId }, async (tx) => {
      const [pending] = await rows<{ found: number }>(
        tx,
        sql`select 1 as found from knowledge_chunks c, knowledge_documents d where ${pendingChunksWhere(orgId, model.id)} limit 1`,
      );
      if (!pending) return false;
      const [failed] = await tx
        .select({ metadata: auditLogs.metadata })
        .from(auditLogs)
        .where(
          and(
            eq(auditLogs.orgId, orgId),
            eq(auditLogs.action, EMBEDDING_FAILED_ACTION),
            gt(auditLogs.createdAt, new Date(Date.now() - QUIET_AFTER_FAILURE_MS)),
            sql`${auditLogs.metadata}->>'model' = ${model.id}`,
          ),
        )
        .limit(1);
      return !failed;
    });
    if (needed) due.push(orgId);
  }
  return due;
}

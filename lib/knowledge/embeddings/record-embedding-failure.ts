import { and, desc, eq, gt } from "drizzle-orm";
import { withTenant } from "@/db";
import { auditLogs } from "@/db/schema";
import { writeAudit } from "@/lib/audit/log";

export const EMBEDDING_FAILED_ACTION = "knowledge.embeddings_failed" as const;

/** The same failure is recorded again only after this long (sweeps and uploads retry meanwhile). */
const REPEAT_AFTER_MS = 60 * 60_000;

/**
 * Records why embedding stopped for good (a refused key, an unknown model) where an admin sees it:
 * the audit log (actor: the system), which the AI settings page reads back as the last error.
 */
export async function recordEmbeddingFailure(orgId: string, modelId: string, reason: string): Promise<void> {
  await withTenant({ orgId }, async (tx) => {
    const [recent] = await tx
      .select({ metadata: auditLogs.metadata })
      .from(auditLogs)
      .where(
        and(
          eq(auditLogs.orgId, orgId),
          eq(auditLogs.action, EMBEDDING_FAILED_ACTION),
          gt(auditLogs.createdAt, new Date(Date.now() - REPEAT_AFTER_MS)),
        ),
      )
      .orderBy(desc(auditLogs.createdAt))
      .limit(1);
    if (recent?.metadata.model === modelId && recent.metadata.reason === reason) return;
    await writeAudit(tx, {
      orgId,
      actor: null,
      action: EMBEDDING_FAILED_ACTION,
      target: { type: "org_ai_settings", id: orgId },
      metadata: { model: modelId, reason },
    });
  });
}

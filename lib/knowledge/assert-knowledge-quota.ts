import "server-only";
import { and, count, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const size = (bytes: number) =>
  bytes >= GIB
    ? `${(bytes / GIB).toFixed(1)} GiB`
    : bytes >= MIB
      ? `${(bytes / MIB).toFixed(1)} MiB`
      : `${bytes.toLocaleString("en")} bytes`;

/**
 * Refuses an upload that would take an organization past its knowledge quota: the bytes of every
 * stored upload version (`KNOWLEDGE_MAX_BYTES_PER_ORG`) and the number of uploaded documents
 * (`KNOWLEDGE_MAX_DOCUMENTS_PER_ORG`, only when `newDocument`). Counted under a transaction-scoped
 * advisory lock on the organization (as `assertOrgQuota` does), so two concurrent uploads cannot
 * both take the last room. Documents the app keeps (repository files, insights) are not counted.
 */
export async function assertKnowledgeQuota(
  tx: Tx,
  opts: { orgId: string; addBytes: number; newDocument: boolean },
): Promise<void> {
  const { KNOWLEDGE_MAX_BYTES_PER_ORG: maxBytes, KNOWLEDGE_MAX_DOCUMENTS_PER_ORG: maxDocs } = env();
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`quota:knowledge:${opts.orgId}`}, 0))`,
  );
  const uploads = and(eq(knowledgeDocuments.orgId, opts.orgId), eq(knowledgeDocuments.source, "upload"));
  if (opts.newDocument) {
    const [docs] = await tx.select({ n: count() }).from(knowledgeDocuments).where(uploads);
    if ((docs?.n ?? 0) >= maxDocs) {
      throw new AppError(
        "conflict",
        `This organization has reached its limit of ${maxDocs.toLocaleString("en")} uploaded documents. Delete documents you no longer need first.`,
      );
    }
  }
  const [used] = await tx
    .select({ bytes: sql<string>`coalesce(sum(${knowledgeDocumentVersions.byteSize}), 0)` })
    .from(knowledgeDocumentVersions)
    .innerJoin(
      knowledgeDocuments,
      and(
        eq(knowledgeDocuments.orgId, knowledgeDocumentVersions.orgId),
        eq(knowledgeDocuments.id, knowledgeDocumentVersions.documentId),
      ),
    )
    .where(and(eq(knowledgeDocumentVersions.orgId, opts.orgId), uploads));
  const usedBytes = Number(used?.bytes ?? 0);
  if (usedBytes + opts.addBytes > maxBytes) {
    throw new AppError(
      "conflict",
      `This organization's uploaded knowledge is limited to ${size(maxBytes)} and ${size(usedBytes)} is used: delete documents you no longer need (with their versions) first.`,
    );
  }
}

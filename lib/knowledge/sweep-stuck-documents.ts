import "server-only";
import { and, asc, eq, lt, sql } from "drizzle-orm";
import type { Inngest } from "inngest";
import { getDb } from "@/db";
import { knowledgeDocuments } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { knowledgeDocumentUploaded } from "@/inngest/events";
import { failStuckDocument } from "./process-document";

export const STUCK_AFTER_MS = 5 * 60_000;
export const GIVE_UP_AFTER_MS = 60 * 60_000;
const BATCH = 100;

/**
 * Documents still `processing` a while after their upload lost their announcement (a crash between
 * commit and send) or their run: they are announced again; after an hour they are failed with a
 * reason. A system job: it reads every organization's documents on the owner connection.
 */
export async function sweepStuckDocuments(
  client: Inngest.Any = inngest,
  now = Date.now(),
): Promise<{ announced: number; failed: number }> {
  const db = await getDb();
  const stuck = await db
    .select({
      orgId: knowledgeDocuments.orgId,
      id: knowledgeDocuments.id,
      updatedAt: knowledgeDocuments.updatedAt,
      newest: sql<number>`(select max(v.version) from knowledge_document_versions v where v.document_id = "knowledge_documents"."id")`,
    })
    .from(knowledgeDocuments)
    .where(
      and(
        eq(knowledgeDocuments.status, "processing"),
        lt(knowledgeDocuments.updatedAt, new Date(now - STUCK_AFTER_MS)),
      ),
    )
    .orderBy(asc(knowledgeDocuments.updatedAt))
    .limit(BATCH);
  let failed = 0;
  const resend = [];
  for (const doc of stuck) {
    if (doc.updatedAt.getTime() < now - GIVE_UP_AFTER_MS || !doc.newest) {
      const reason = "Processing did not finish within an hour: upload the file again.";
      if (await failStuckDocument({ orgId: doc.orgId, documentId: doc.id }, reason)) failed++;
    } else {
      resend.push(
        knowledgeDocumentUploaded.create({
          orgId: doc.orgId,
          documentId: doc.id,
          version: Number(doc.newest),
        }),
      );
    }
  }
  if (resend.length) await client.send(resend);
  return { announced: resend.length, failed };
}

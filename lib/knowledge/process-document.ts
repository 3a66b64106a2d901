import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { type Tx, withTenant } from "@/db";
import { knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import { chunkText } from "./chunk";
import { DocumentRefused } from "./extract/document-refused";
import { type ExtractedDocument, extractDocument } from "./extract/extract-document";
import { chunkPages } from "./page-of-offset";
import { storeChunks } from "./save-text-document";

export type ProcessRef = { orgId: string; documentId: string; version: number };

export type ProcessOutcome =
  | { outcome: "ready"; chunks: number }
  | { outcome: "failed"; reason: string }
  /** Nothing to do: the document is gone, a newer version supersedes this one, or it is done. */
  | { outcome: "skipped"; why: "gone" | "stale" | "done" };

/**
 * Extracts, chunks and indexes one uploaded version, then drops its raw bytes (the text is kept).
 * Safe to run twice: a version already indexed, superseded by a newer upload or deleted is skipped,
 * and the chunks of a version are written once. A file the extractor refuses leaves the document
 * `failed` with the reason (an older ready version stays searchable).
 */
export async function processDocument(ref: ProcessRef): Promise<ProcessOutcome> {
  const loaded = await withTenant({ orgId: ref.orgId }, async (tx) => {
    const state = await readState(tx, ref);
    if ("skip" in state) return state;
    const [row] = await tx
      .select({
        raw: knowledgeDocumentVersions.raw,
        text: knowledgeDocumentVersions.text,
        fileName: knowledgeDocumentVersions.fileName,
        mimeType: knowledgeDocumentVersions.mimeType,
      })
      .from(knowledgeDocumentVersions)
      .where(versionWhere(ref));
    return { ...state, row };
  });
  if ("skip" in loaded) return loaded.skip;
  const { row } = loaded;

  let extracted: ExtractedDocument | null = null;
  let reason: string | null = null;
  if (!row?.raw) {
    reason = "The uploaded file is no longer stored: upload it again.";
  } else {
    try {
      extracted = await extractDocument({
        bytes: row.raw,
        fileName: row.fileName ?? "upload",
        mimeType: row.mimeType,
      });
    } catch (error) {
      if (!(error instanceof DocumentRefused)) throw error;
      reason = error.reason;
    }
  }

  return withTenant({ orgId: ref.orgId }, async (tx) => {
    // Re-checked under the lock: another upload or a second run may have moved on meanwhile.
    const state = await readState(tx, ref);
    if ("skip" in state) return state.skip;
    if (!extracted) {
      const why = reason ?? "The file could not be read.";
      await tx
        .update(knowledgeDocuments)
        .set({ status: "failed", error: why, updatedAt: new Date() })
        .where(and(eq(knowledgeDocuments.orgId, ref.orgId), eq(knowledgeDocuments.id, ref.documentId)));
      return { outcome: "failed", reason: why };
    }
    const chunks = extracted.pages
      ? chunkPages(extracted.text, extracted.pages)
      : chunkText(extracted.text, extracted.format);
    await tx
      .update(knowledgeDocumentVersions)
      .set({ text: extracted.text, raw: null })
      .where(versionWhere(ref));
    await storeChunks(tx, {
      orgId: ref.orgId,
      projectId: state.projectId,
      documentId: ref.documentId,
      version: ref.version,
      chunks,
    });
    return { outcome: "ready", chunks: chunks.length };
  });
}

const versionWhere = (ref: ProcessRef) =>
  and(
    eq(knowledgeDocumentVersions.orgId, ref.orgId),
    eq(knowledgeDocumentVersions.documentId, ref.documentId),
    eq(knowledgeDocumentVersions.version, ref.version),
  );

/** Locks the document and says whether this version still needs processing. */
async function readState(
  tx: Tx,
  ref: ProcessRef,
): Promise<{ skip: ProcessOutcome } | { projectId: string | null }> {
  const [doc] = await tx
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.orgId, ref.orgId), eq(knowledgeDocuments.id, ref.documentId)))
    .for("update");
  if (!doc) return { skip: { outcome: "skipped", why: "gone" } };
  const [newest] = await tx
    .select({ version: knowledgeDocumentVersions.version })
    .from(knowledgeDocumentVersions)
    .where(
      and(
        eq(knowledgeDocumentVersions.orgId, ref.orgId),
        eq(knowledgeDocumentVersions.documentId, ref.documentId),
      ),
    )
    .orderBy(desc(knowledgeDocumentVersions.version))
    .limit(1);
  if (!newest) return { skip: { outcome: "skipped", why: "gone" } };
  if (newest.version !== ref.version) return { skip: { outcome: "skipped", why: "stale" } };
  if (doc.status === "ready" && doc.currentVersion === ref.version) {
    return { skip: { outcome: "skipped", why: "done" } };
  }
  if (doc.status === "failed") {
    return { skip: { outcome: "failed", reason: doc.error ?? "Processing failed." } };
  }
  return { projectId: doc.projectId };
}

/**
 * The last resort (the function's `onFailure`, the sweep): a document still `processing` becomes
 * `failed` with `reason`, so no document waits forever. One already ready or failed is left alone.
 */
export async function failStuckDocument(ref: Omit<ProcessRef, "version">, reason: string): Promise<boolean> {
  return withTenant({ orgId: ref.orgId }, async (tx) => {
    const rows = await tx
      .update(knowledgeDocuments)
      .set({ status: "failed", error: reason, updatedAt: new Date() })
      .where(
        and(
          eq(knowledgeDocuments.orgId, ref.orgId),
          eq(knowledgeDocuments.id, ref.documentId),
          eq(knowledgeDocuments.status, "processing"),
        ),
      )
      .returning({ id: knowledgeDocuments.id });
    return rows.length > 0;
  });
}

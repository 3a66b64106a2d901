import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { type Tx, withTenant } from "@/db";
import { knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import { chunkText } from "./chunk";
import { DocumentRefused } from "./extract/document-refused";
import { type ExtractedDocument, extractDocument } from "./extract/extract-document";
import { chunkPages } from "./page-of-offset";
import { storeChunks } from "./save-text-document";
import type { Chunk } from "./types";

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
  let chunks: Chunk[] = [];
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
      chunks = extracted.pages
        ? chunkPages(extracted.text, extracted.pages)
        : chunkText(extracted.text, extracted.format);
    } catch (error) {
      extracted = null;
      // A stack overflow in a parser is a property of the bytes: retrying gives the same answer.
      if (error instanceof RangeError) reason = "This document is nested too deeply to read.";
      else if (error instanceof DocumentRefused) reason = error.reason;
      else throw error;
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
      // The reason stays on the document; the refused bytes are not kept.
      await tx.update(knowledgeDocumentVersions).set({ raw: null }).where(versionWhere(ref));
      return { outcome: "failed", reason: why };
    }
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
 * With `version` (a run's failure handler), only while that version is still the newest: a stale
 * run never fails a newer upload that is being processed.
 */
export async function failStuckDocument(
  ref: Omit<ProcessRef, "version"> & { version?: number },
  reason: string,
): Promise<boolean> {
  return withTenant({ orgId: ref.orgId }, async (tx) => {
    const newest = sql`(select max(${knowledgeDocumentVersions.version}) from ${knowledgeDocumentVersions}
      where ${knowledgeDocumentVersions.orgId} = ${ref.orgId} and ${knowledgeDocumentVersions.documentId} = ${ref.documentId})`;
    const rows = await tx
      .update(knowledgeDocuments)
      .set({ status: "failed", error: reason, updatedAt: new Date() })
      .where(
        and(
          eq(knowledgeDocuments.orgId, ref.orgId),
          eq(knowledgeDocuments.id, ref.documentId),
          eq(knowledgeDocuments.status, "processing"),
          ref.version === undefined ? undefined : sql`${newest} = ${ref.version}`,
        ),
      )
      .returning({ id: knowledgeDocuments.id });
    return rows.length > 0;
  });
}

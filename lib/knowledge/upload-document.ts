import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { knowledgeDocumentUploaded } from "@/inngest/events";
import { parseWith } from "@/lib/api/input";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { assertKnowledgeQuota } from "./assert-knowledge-quota";
import { documentViews, findDocumentRow } from "./document-view";
import { detectKind } from "./extract/detect-kind";
import { DocumentRefused } from "./extract/document-refused";
import { MAX_TITLE_CHARS, MAX_UPLOAD_BYTES } from "./limits";
import { resolveProjectScope } from "./resolve-project-scope";
import { sha256 } from "./save-text-document";
import { INVISIBLE_CHARS, type UploadFields, uploadFieldsSchema } from "./schemas";
import type { KnowledgeDocumentView } from "./types";

export type UploadInput = UploadFields & { file: File | null | undefined };

/** The event id dedupes a re-sent announcement of the same version (the sweep sends without one). */
export const uploadEventId = (documentId: string, version: number) =>
  `knowledge-document:${documentId}:${version}`;

/**
 * Stores an uploaded file as a new document (version 1), or as the next version of `documentId`
 * (same organization and scope; the same bytes as its newest version change nothing), with its raw
 * bytes, and asks the `knowledge-process-document` function to extract and index it. The document
 * is `processing` until then; the file's type and size are checked here, its text there.
 */
export async function uploadDocument(ctx: OrgContext, input: UploadInput): Promise<KnowledgeDocumentView> {
  const { file, ...rest } = input;
  const fields = parseWith(uploadFieldsSchema, rest);
  if (!file || typeof file.arrayBuffer !== "function") {
    throw new AppError("validation", "Choose a file to upload.", {
      fieldErrors: { file: ["Choose a file."] },
    });
  }
  const fileName = cleanFileName(file.name);
  const fileError = (message: string) =>
    new AppError("validation", message, { fieldErrors: { file: [message] } });
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new AppError("payload_too_large", `The file must be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.byteLength > MAX_UPLOAD_BYTES) {
    throw new AppError("payload_too_large", `The file must be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }
  if (bytes.byteLength === 0) throw fileError("The file is empty.");
  try {
    detectKind(fileName, bytes);
  } catch (error) {
    if (error instanceof DocumentRefused) throw fileError(error.reason);
    throw error;
  }
  const hash = sha256(bytes);
  // The client's MIME type is only recorded (for the download), never trusted.
  const mimeType = (file.type || "application/octet-stream").slice(0, 100);

  const result = await ctx.tx(async (tx) => {
    const projectId = await resolveProjectScope(tx, ctx.org.id, fields.projectSlug, { write: true });
    let documentId: string;
    let version: number;
    if (fields.documentId) {
      const doc = await findDocumentRow(tx, ctx.org.id, projectId, fields.documentId, { forUpdate: true });
      if (doc.source !== "upload") {
        throw new AppError(
          "conflict",
          "Only uploaded documents take new versions; this one is kept by the app.",
        );
      }
      const [newest] = await tx
        .select({ version: knowledgeDocumentVersions.version, hash: knowledgeDocumentVersions.contentHash })
        .from(knowledgeDocumentVersions)
        .where(
          and(
            eq(knowledgeDocumentVersions.orgId, ctx.org.id),
            eq(knowledgeDocumentVersions.documentId, doc.id),
          ),
        )
        .orderBy(desc(knowledgeDocumentVersions.version))
        .limit(1);
      if (newest?.hash === hash) {
        // The same file again: nothing to store or process; a new title or tags still apply.
        if (fields.title !== undefined || fields.tags !== undefined) {
          await tx
            .update(knowledgeDocuments)
            .set({
              title: fields.title ?? doc.title,
              tags: fields.tags ?? doc.tags,
              updatedAt: new Date(),
              updatedById: ctx.user.id,
            })
            .where(and(eq(knowledgeDocuments.orgId, ctx.org.id), eq(knowledgeDocuments.id, doc.id)));
        }
        return { id: doc.id, version: null };
      }
      await assertKnowledgeQuota(tx, { orgId: ctx.org.id, addBytes: bytes.byteLength, newDocument: false });
      documentId = doc.id;
      version = (newest?.version ?? 0) + 1;
      await tx
        .update(knowledgeDocuments)
        .set({
          status: "processing",
          error: null,
          title: fields.title ?? doc.title,
          tags: fields.tags ?? doc.tags,
          updatedAt: new Date(),
          updatedById: ctx.user.id,
        })
        .where(and(eq(knowledgeDocuments.orgId, ctx.org.id), eq(knowledgeDocuments.id, doc.id)));
    } else {
      await assertKnowledgeQuota(tx, { orgId: ctx.org.id, addBytes: bytes.byteLength, newDocument: true });
      const [row] = await tx
        .insert(knowledgeDocuments)
        .values({
          orgId: ctx.org.id,
          projectId,
          source: "upload",
          title: fields.title ?? titleFromFileName(fileName),
          tags: fields.tags ?? [],
          status: "processing",
          createdById: ctx.user.id,
          updatedById: ctx.user.id,
        })
        .returning({ id: knowledgeDocuments.id });
      if (!row) throw new Error("Knowledge document was not saved");
      documentId = row.id;
      version = 1;
    }
    await tx.insert(knowledgeDocumentVersions).values({
      orgId: ctx.org.id,
      documentId,
      version,
      fileName,
      mimeType,
      byteSize: bytes.byteLength,
      contentHash: hash,
      raw: bytes,
      createdById: ctx.user.id,
    });
    await ctx.audit(tx, {
      action: "knowledge_document.upload",
      target: { type: "knowledge_document", id: documentId },
      metadata: { fileName, byteSize: bytes.byteLength, version, projectId },
    });
    return { id: documentId, version };
  });

  if (result.version !== null) {
    // After the commit: the function reads the row. A lost send is re-sent by the sweep.
    await inngest
      .send(
        knowledgeDocumentUploaded.create(
          { orgId: ctx.org.id, documentId: result.id, version: result.version },
          { id: uploadEventId(result.id, result.version) },
        ),
      )
      .catch((error) => console.error("[knowledge] could not announce an upload", error));
  }
  return ctx.tx(async (tx) => {
    const rows = await tx
      .select()
      .from(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.orgId, ctx.org.id), eq(knowledgeDocuments.id, result.id)));
    const [view] = await documentViews(tx, ctx.org.id, rows);
    if (!view) throw new Error("Knowledge document vanished");
    return view;
  });
}

/** The last path segment, without control or format (bidi, zero-width) characters, at most 255 characters. */
function cleanFileName(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base.replace(INVISIBLE_CHARS, "").trim();
  return (clean || "upload").slice(-255);
}

function titleFromFileName(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return (dot > 0 ? fileName.slice(0, dot) : fileName).slice(0, MAX_TITLE_CHARS) || "Untitled";
}

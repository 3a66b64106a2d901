import { MAX_DOCUMENT_CHARS, MAX_UPLOAD_BYTES } from "../limits";
import type { PageStart } from "../page-of-offset";
import type { ChunkFormat } from "../types";
import { decodeText } from "./decode-text";
import { chunkFormatOf, detectKind } from "./detect-kind";
import { DocumentRefused, tooLongReason } from "./document-refused";
import { extractPdf } from "./extract-pdf";
import { htmlToMarkdown } from "./html-to-markdown";

export type ExtractedDocument = { text: string; format: ChunkFormat; pages?: PageStart[] };

/**
 * The searchable text of an uploaded file: Markdown, text and code as they are, HTML as Markdown,
 * PDF page by page. Throws `DocumentRefused` (with a reason for the member) for what it will not
 * take: unsupported or mislabelled types, binary content, too large a file or text, unreadable PDFs.
 * `mimeType` is the client's claim and is not trusted: the name and the bytes decide.
 */
export async function extractDocument(input: {
  bytes: Uint8Array;
  fileName: string;
  mimeType?: string | null;
}): Promise<ExtractedDocument> {
  const { bytes, fileName } = input;
  if (bytes.byteLength > MAX_UPLOAD_BYTES) {
    throw new DocumentRefused(`This file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }
  const kind = detectKind(fileName, bytes);
  let result: ExtractedDocument;
  if (kind === "pdf") {
    result = { ...(await extractPdf(bytes)), format: "text" };
  } else {
    const raw = decodeText(bytes);
    result = kind === "html" ? htmlToMarkdown(raw) : { text: raw, format: chunkFormatOf(kind) };
  }
  if (result.text.length > MAX_DOCUMENT_CHARS) {
    throw new DocumentRefused(tooLongReason());
  }
  if (!result.text.trim()) throw new DocumentRefused("This document has no text.");
  return result;
}

import { getDocumentProxy } from "unpdf";
import { MAX_DOCUMENT_CHARS, MAX_PDF_PAGES } from "../limits";
import type { PageStart } from "../page-of-offset";
import { DocumentRefused, tooLongReason } from "./document-refused";

/**
 * A PDF's text, page by page (pages joined by a blank line), with where each page starts so chunks
 * can cite their page. Encrypted, corrupt and text-less (scanned) PDFs are refused with a reason.
 */
export async function extractPdf(bytes: Uint8Array): Promise<{ text: string; pages: PageStart[] }> {
  let pdf: PdfProxy;
  try {
    // pdf.js may detach the buffer it is given: hand it a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { stopAtErrors: true });
  } catch (error) {
    const name = (error as { name?: string }).name ?? "";
    if (name === "PasswordException") {
      throw new DocumentRefused("This PDF is password-protected: remove the password and upload it again.");
    }
    throw new DocumentRefused(
      "This PDF could not be read (it looks damaged): export it again and re-upload.",
    );
  }
  try {
    if (pdf.numPages > MAX_PDF_PAGES) {
      throw new DocumentRefused(
        `This PDF has ${pdf.numPages.toLocaleString("en")} pages; at most ${MAX_PDF_PAGES.toLocaleString("en")} are read: split it into smaller files.`,
      );
    }
    const pages: PageStart[] = [];
    let text = "";
    // One page at a time, freed after it is read, stopping once the text is over the limit: memory
    // stays bounded by the limit, not by the file.
    for (let i = 1; i <= pdf.numPages; i++) {
      let pageText: string;
      try {
        pageText = await readPage(pdf, i);
      } catch (error) {
        if (error instanceof RangeError) throw new DocumentRefused("This PDF is nested too deeply to read.");
        throw new DocumentRefused("The text of this PDF could not be read (it looks damaged).");
      }
      if (text) text += "\n\n";
      pages.push({ page: i, startOffset: text.length });
      text += pageText.trim();
      if (text.length > MAX_DOCUMENT_CHARS) throw new DocumentRefused(tooLongReason());
    }
    if (!text.trim()) {
      throw new DocumentRefused(
        "This PDF has no text layer (it looks scanned): run it through OCR, or upload the text instead.",
      );
    }
    return { text, pages };
  } finally {
    await pdf.loadingTask.destroy().catch(() => {});
  }
}

type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

/** A page's text as unpdf's `extractText` gives it (items joined, their line ends kept). */
async function readPage(pdf: PdfProxy, number: number): Promise<string> {
  const page = await pdf.getPage(number);
  try {
    const content = await page.getTextContent();
    let out = "";
    for (const item of content.items) {
      if (!("str" in item) || item.str == null) continue;
      out += item.str + (item.hasEOL ? "\n" : "");
    }
    return out;
  } finally {
    page.cleanup();
  }
}

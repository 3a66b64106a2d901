import { extractText, getDocumentProxy } from "unpdf";
import type { PageStart } from "../page-of-offset";
import { DocumentRefused } from "./document-refused";

/**
 * A PDF's text, page by page (pages joined by a blank line), with where each page starts so chunks
 * can cite their page. Encrypted, corrupt and text-less (scanned) PDFs are refused with a reason.
 */
export async function extractPdf(bytes: Uint8Array): Promise<{ text: string; pages: PageStart[] }> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
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
    let texts: string[];
    try {
      ({ text: texts } = await extractText(pdf, { mergePages: false }));
    } catch {
      throw new DocumentRefused("The text of this PDF could not be read (it looks damaged).");
    }
    const pages: PageStart[] = [];
    let text = "";
    texts.forEach((pageText, i) => {
      if (text) text += "\n\n";
      pages.push({ page: i + 1, startOffset: text.length });
      text += pageText.trim();
    });
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

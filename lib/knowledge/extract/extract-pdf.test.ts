import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it, vi } from "vitest";
import { DocumentRefused } from "./document-refused";
import { extractPdf } from "./extract-pdf";

// Small limits so the fixtures stay small; the code reads them from ../limits.
vi.mock("../limits", async (original) => ({
  ...(await original<typeof import("../limits")>()),
  MAX_DOCUMENT_CHARS: 100,
  MAX_PDF_PAGES: 5,
}));

// Counts the pages pdf.js is asked for, to show extraction stops early.
const read = vi.hoisted(() => ({ pages: 0 }));
vi.mock("unpdf", async (original) => {
  const real = await original<typeof import("unpdf")>();
  return {
    ...real,
    getDocumentProxy: async (...args: Parameters<typeof real.getDocumentProxy>) => {
      const pdf = await real.getDocumentProxy(...args);
      const getPage = pdf.getPage.bind(pdf);
      pdf.getPage = (n: number) => {
        read.pages++;
        return getPage(n);
      };
      return pdf;
    },
  };
});

async function makePdf(pages: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) doc.addPage([400, 400]).drawText(text, { x: 20, y: 340, size: 8, font });
  return doc.save();
}

async function refusal(bytes: Uint8Array): Promise<string> {
  try {
    await extractPdf(bytes);
  } catch (error) {
    if (error instanceof DocumentRefused) return error.reason;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("extractPdf limits", () => {
  it("refuses a PDF with more pages than the limit without reading them", async () => {
    read.pages = 0;
    expect(await refusal(await makePdf(["a", "b", "c", "d", "e", "f"]))).toMatch(/has 6 pages; at most 5/);
    expect(read.pages).toBe(0);
  });

  it("stops reading at the page where the text passes the limit", async () => {
    read.pages = 0;
    const line = "x".repeat(60);
    expect(await refusal(await makePdf([line, line, line, line]))).toMatch(/longer than 100 characters/);
    expect(read.pages).toBe(2);
  });

  it("reads a PDF within the limits, page by page", async () => {
    read.pages = 0;
    const out = await extractPdf(await makePdf(["first page", "second page"]));
    expect(out).toEqual({
      text: "first page\n\nsecond page",
      pages: [
        { page: 1, startOffset: 0 },
        { page: 2, startOffset: 12 },
      ],
    });
    expect(read.pages).toBe(2);
  });
});

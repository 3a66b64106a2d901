import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { MAX_DOCUMENT_CHARS, MAX_UPLOAD_BYTES } from "../limits";
import { DocumentRefused } from "./document-refused";
import { extractDocument } from "./extract-document";

const enc = (s: string) => new TextEncoder().encode(s);

async function makePdf(pages: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([400, 400]);
    if (text) page.drawText(text, { x: 40, y: 340, size: 12, font });
  }
  return doc.save();
}

async function refusal(input: Parameters<typeof extractDocument>[0]): Promise<string> {
  try {
    await extractDocument(input);
  } catch (error) {
    if (error instanceof DocumentRefused) return error.reason;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("extractDocument", () => {
  it("keeps Markdown, text and code as they are, each with its chunk format", async () => {
    const md = "# Guide\r\n\r\nUse `pnpm`.\r\n";
    expect(await extractDocument({ bytes: enc(md), fileName: "Guide.MD" })).toEqual({
      text: md,
      format: "markdown",
    });
    expect(await extractDocument({ bytes: enc("plain words"), fileName: "notes.txt" })).toMatchObject({
      text: "plain words",
      format: "text",
    });
    const code = "export const a = 1;\n";
    for (const fileName of ["a.ts", "b.py", "c.go", "d.sql", "e.yaml", "f.json", "g.rs"]) {
      expect(await extractDocument({ bytes: enc(code), fileName })).toMatchObject({ format: "code" });
    }
    // A BOM is not part of the text.
    expect((await extractDocument({ bytes: enc("\uFEFFhello"), fileName: "x.txt" })).text).toBe("hello");
  });

  it("turns HTML into Markdown, without scripts or styles", async () => {
    const html = `<!doctype html><html><head><style>body{color:red}</style><script>alert("x")</script>
      <title>T</title></head><body><h1>Deploy</h1><p>Run <code>make ship</code> then <b>wait</b>.</p>
      <ul><li>one</li><li>two</li></ul><table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>
      <pre><code>echo hi</code></pre><script>steal()</script></body></html>`;
    const out = await extractDocument({ bytes: enc(html), fileName: "page.html", mimeType: "text/html" });
    expect(out.format).toBe("markdown");
    expect(out.text).toContain("# Deploy");
    expect(out.text).toContain("Run `make ship` then **wait**.");
    expect(out.text).toMatch(/\* one\n\* two|- one\n- two/);
    expect(out.text).toContain("| k | v |");
    expect(out.text).toContain("echo hi");
    expect(out.text).not.toMatch(/alert|steal|color:red/);
  });

  it.each([
    ["20,000 nested <div>s", `${"<div>".repeat(20_000)}deep text${"</div>".repeat(20_000)}`],
    ["20,000 nested <b>s", `<p>${"<b>".repeat(20_000)}bold text</p><script>steal()</script>`],
  ])("reads %s as plain text instead of overflowing the converter", async (_, html) => {
    const out = await extractDocument({ bytes: enc(html), fileName: "deep.html" });
    expect(out.format).toBe("text");
    expect(out.text).toMatch(/^(deep|bold) text$/);
  });

  it("reads a PDF page by page and records where each page starts", async () => {
    const bytes = await makePdf(["Rollback with the release tool.", "Page two explains canaries."]);
    const out = await extractDocument({ bytes, fileName: "runbook.pdf", mimeType: "application/pdf" });
    expect(out.format).toBe("text");
    expect(out.pages).toEqual([
      { page: 1, startOffset: 0 },
      { page: 2, startOffset: expect.any(Number) },
    ]);
    const second = out.pages?.[1]?.startOffset ?? 0;
    expect(out.text.slice(0, second)).toContain("Rollback with the release tool.");
    expect(out.text.slice(second)).toBe("Page two explains canaries.");
  });

  it("refuses PDFs it cannot read, saying what to do", async () => {
    expect(await refusal({ bytes: await makePdf(["", ""]), fileName: "scan.pdf" })).toMatch(
      /no text layer.*OCR/,
    );
    const good = await makePdf(["hello"]);
    const corrupt = new Uint8Array([...enc("%PDF-1.7\n"), ...good.slice(200, 400)]);
    expect(await refusal({ bytes: corrupt, fileName: "broken.pdf" })).toMatch(/could not be read|damaged/);
  });

  it("trusts the name and the bytes, not the client's MIME type", async () => {
    const pdf = await makePdf(["hello"]);
    expect(await refusal({ bytes: pdf, fileName: "notes.txt", mimeType: "text/plain" })).toMatch(/is a PDF/);
    expect(await refusal({ bytes: enc("hello"), fileName: "fake.pdf", mimeType: "application/pdf" })).toMatch(
      /not a PDF/,
    );
    expect(
      await refusal({ bytes: new Uint8Array([0x68, 0, 0x69]), fileName: "a.md", mimeType: "text/markdown" }),
    ).toMatch(/binary/);
    expect(await refusal({ bytes: new Uint8Array([0xc3, 0x28]), fileName: "a.txt" })).toMatch(/UTF-8/);
    expect(await refusal({ bytes: enc("MZ"), fileName: "setup.exe" })).toMatch(/not supported/);
    // A PDF under an unknown extension is still read as a PDF.
    expect((await extractDocument({ bytes: pdf, fileName: "download" })).text).toContain("hello");
  });

  it("refuses too large a file, too long a text and an empty one", async () => {
    expect(await refusal({ bytes: new Uint8Array(MAX_UPLOAD_BYTES + 1), fileName: "big.txt" })).toMatch(
      /larger/,
    );
    expect(await refusal({ bytes: enc("a".repeat(MAX_DOCUMENT_CHARS + 1)), fileName: "long.txt" })).toMatch(
      /longer than/,
    );
    expect(await refusal({ bytes: enc(" \n\n "), fileName: "blank.md" })).toMatch(/no text/);
  });
});

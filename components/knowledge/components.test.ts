import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { isSupportedFileName } from "@/lib/knowledge/extract/detect-kind";
import { MAX_UPLOAD_BYTES } from "@/lib/knowledge/limits";
import type { KnowledgeDocumentView } from "@/lib/knowledge/types";
import { parseTags } from "./api";
import { DocumentStatus } from "./document-status";
import { ACCEPT_ATTRIBUTE, ACCEPTED_EXTENSIONS, formatBytes, rejectReason } from "./files";
import { splitMarked } from "./marked";
import { Snippet } from "./snippet";

const doc = (over: Partial<KnowledgeDocumentView>): KnowledgeDocumentView => ({
  id: "00000000-0000-4000-8000-000000000001",
  projectId: null,
  source: "upload",
  title: "Deployment guide",
  tags: [],
  status: "ready",
  error: null,
  currentVersion: 1,
  chunkCount: 3,
  fileName: "deploy.md",
  mimeType: "text/markdown",
  byteSize: 1200,
  runId: null,
  taskId: null,
  agentSlug: null,
  createdBy: null,
  createdAt: "2026-12-06T10:00:00.000Z",
  updatedAt: "2026-12-06T10:00:00.000Z",
  ...over,
});

describe("splitMarked", () => {
  it("splits the «» the search put around matched terms into marked parts", () => {
    expect(splitMarked("roll «back» the «deploy» now")).toEqual([
      { text: "roll ", marked: false },
      { text: "back", marked: true },
      { text: " the ", marked: false },
      { text: "deploy", marked: true },
      { text: " now", marked: false },
    ]);
  });

  it("keeps an unclosed « and stray » as text, and drops empty marks", () => {
    expect(splitMarked("a » b «c")).toEqual([{ text: "a » b «c", marked: false }]);
    expect(splitMarked("«»x«y»")).toEqual([
      { text: "x", marked: false },
      { text: "y", marked: true },
    ]);
    expect(splitMarked("")).toEqual([]);
  });
});

describe("Snippet", () => {
  it("renders marked terms as <mark> and a document's HTML as text, never as markup", () => {
    const html = renderToStaticMarkup(h(Snippet, { text: '<img src=x onerror="alert(1)"> «rollback» <b>' }));
    expect(html).toContain("<mark");
    expect(html).toMatch(/<mark[^>]*>rollback<\/mark>/);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;img src=x");
  });
});

describe("rejectReason", () => {
  it("accepts the supported formats up to the cap", () => {
    for (const name of ["a.md", "b.MARKDOWN", "c.txt", "d.html", "e.htm", "f.pdf", "g.ts", "h.py"]) {
      expect(rejectReason({ name, size: 10 })).toBeNull();
    }
    expect(rejectReason({ name: "big.md", size: MAX_UPLOAD_BYTES })).toBeNull();
    expect(rejectReason({ name: "Dockerfile", size: 10 })).toBeNull();
    // The picker offers only what the server takes.
    for (const ext of ACCEPTED_EXTENSIONS) expect(isSupportedFileName(`x.${ext}`), ext).toBe(true);
    expect(ACCEPT_ATTRIBUTE).toContain(".pdf");
  });

  it("refuses unsupported, empty and too-large files, saying why", () => {
    expect(rejectReason({ name: "photo.png", size: 10 })).toMatch(
      /photo\.png: this kind of file is not supported/,
    );
    expect(rejectReason({ name: "noext", size: 10 })).toMatch(/not supported/);
    expect(rejectReason({ name: "empty.md", size: 0 })).toBe("empty.md is empty.");
    expect(rejectReason({ name: "big.pdf", size: MAX_UPLOAD_BYTES + 1 })).toBe(
      `big.pdf is 10 MB; files can be at most ${formatBytes(MAX_UPLOAD_BYTES)}.`,
    );
    expect(rejectReason({ name: "big.pdf", size: 2048 }, 1024)).toBe(
      "big.pdf is 2 KB; files can be at most 1 KB.",
    );
  });

  it("formats sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(MAX_UPLOAD_BYTES)).toBe("10 MB");
  });
});

describe("parseTags", () => {
  it("trims, drops blanks and repeats", () => {
    expect(parseTags(" standards, api ,, standards ")).toEqual(["standards", "api"]);
    expect(parseTags("")).toEqual([]);
  });
});

describe("DocumentStatus", () => {
  const text = (d: KnowledgeDocumentView) =>
    renderToStaticMarkup(h(DocumentStatus, { document: d }))
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();

  it("shows processing, ready with its chunk count, and failed with the reason", () => {
    expect(text(doc({ status: "processing" }))).toBe("Processing");
    expect(text(doc({ status: "ready", chunkCount: 1 }))).toBe("Ready · 1 chunk");
    expect(text(doc({ status: "ready", chunkCount: 12 }))).toBe("Ready · 12 chunks");
    expect(text(doc({ status: "failed", error: "The PDF has no text layer." }))).toBe(
      "Failed The PDF has no text layer.",
    );
  });
});

import { describe, expect, it } from "vitest";
import { CHUNK_HARD_MAX_CHARS, chunkText } from "./chunk";
import { isPathologicalMarkdown } from "./chunk-units";
import { CHUNK_OVERLAP_CHARS, CHUNK_TARGET_CHARS } from "./limits";
import { chunkPages, pageOfOffset } from "./page-of-offset";
import type { Chunk } from "./types";

/** Every chunk must point at the real text: its content, and the lines it says it spans. */
function expectExactPositions(text: string, chunks: Chunk[]) {
  const lines = text.split("\n");
  for (const c of chunks) {
    expect(text.slice(c.startOffset, c.endOffset)).toBe(c.content);
    expect(c.content).toBe(c.content.trim());
    const before = text.slice(0, c.startOffset).split("\n").length;
    expect(c.startLine).toBe(before);
    expect(c.endLine).toBe(text.slice(0, c.endOffset).split("\n").length);
    expect(lines[c.startLine - 1]).toContain(c.content.split(/\r?\n/)[0]);
  }
}

const sentence = (i: number) => `Sentence number ${i} explains one more detail of the deployment process. `;
const paragraph = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => sentence(from + i))
    .join("")
    .trim();

describe("chunkText (Markdown)", () => {
  it("starts a chunk at each heading and records the breadcrumb", () => {
    const text = [
      "# Guide",
      "",
      "Intro words.",
      "",
      "## Setup",
      "",
      "Install the tools.",
      "",
      "### Database",
      "",
      "Run migrations.",
      "",
      "## Deploy",
      "",
      "Ship it.",
      "",
    ].join("\n");
    const chunks = chunkText(text, "markdown");
    expect(chunks.map((c) => [c.heading, c.content])).toEqual([
      ["Guide", "# Guide\n\nIntro words."],
      ["Guide › Setup", "## Setup\n\nInstall the tools."],
      ["Guide › Setup › Database", "### Database\n\nRun migrations."],
      ["Guide › Deploy", "## Deploy\n\nShip it."],
    ]);
    expect(chunks.map((c) => [c.startLine, c.endLine])).toEqual([
      [1, 3],
      [5, 7],
      [9, 11],
      [13, 15],
    ]);
    expectExactPositions(text, chunks);
  });

  it("keeps a code block whole, even one larger than the target", () => {
    const code = Array.from({ length: 60 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`).join(
      "\n",
    );
    expect(code.length).toBeGreaterThan(CHUNK_TARGET_CHARS);
    expect(code.length).toBeLessThan(CHUNK_HARD_MAX_CHARS);
    const text = `# Code\n\n${paragraph(10)}\n\n\`\`\`ts\n${code}\n\`\`\`\n\n${paragraph(3, 50)}\n`;
    const chunks = chunkText(text, "markdown");
    const withFence = chunks.filter((c) => c.content.includes("```"));
    expect(withFence).toHaveLength(1);
    expect(withFence[0]?.content).toContain(`\`\`\`ts\n${code}\n\`\`\``);
    expectExactPositions(text, chunks);
  });

  it("cuts a code block over the hard maximum at line ends only", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `print("line ${i} of a very long generated script")`);
    const text = `\`\`\`py\n${lines.join("\n")}\n\`\`\``;
    const chunks = chunkText(text, "markdown");
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.content.length).toBeLessThanOrEqual(CHUNK_TARGET_CHARS);
      expect(text[c.endOffset] === undefined || text[c.endOffset] === "\n").toBe(true);
    }
    expectExactPositions(text, chunks);
  });

  it("packs paragraphs up to the target and repeats the end of the previous chunk in the same section", () => {
    const paras = Array.from({ length: 8 }, (_, i) => paragraph(4, i * 4));
    const text = `# Ops\n\n${paras.join("\n\n")}\n\n# Other\n\nFresh start.`;
    const chunks = chunkText(text, "markdown");
    const ops = chunks.filter((c) => c.heading === "Ops");
    expect(ops.length).toBeGreaterThan(1);
    for (const c of ops) expect(c.content.length).toBeLessThanOrEqual(CHUNK_TARGET_CHARS + 10);
    for (let i = 1; i < ops.length; i++) {
      const prev = ops[i - 1] as Chunk;
      const cur = ops[i] as Chunk;
      // Overlap: the chunk starts inside the previous one, by at most the overlap.
      expect(cur.startOffset).toBeLessThan(prev.endOffset);
      expect(prev.endOffset - cur.startOffset).toBeLessThanOrEqual(CHUNK_OVERLAP_CHARS);
    }
    // No overlap across a heading.
    const other = chunks.find((c) => c.heading === "Other");
    expect(other?.content).toBe("# Other\n\nFresh start.");
    expectExactPositions(text, chunks);
  });

  it("keeps lists and tables as units and splits a huge list between items", () => {
    const table = "| key | value |\n| --- | --- |\n| a | 1 |\n| b | 2 |";
    const small = "- one\n- two\n- three";
    const big = Array.from({ length: 80 }, (_, i) => `- item ${i}: ${sentence(i)}`).join("\n");
    const text = `# T\n\n${table}\n\n${small}\n\n## Big\n\n${big}\n`;
    const chunks = chunkText(text, "markdown");
    expect(chunks[0]?.content).toBe(`# T\n\n${table}\n\n${small}`);
    const bigChunks = chunks.filter((c) => c.heading === "T › Big");
    expect(bigChunks.length).toBeGreaterThan(2);
    for (const c of bigChunks.slice(1)) expect(c.content).toMatch(/^(- item|\S)/);
    expectExactPositions(text, chunks);
  });

  it("splits one huge paragraph at sentence ends, with overlap", () => {
    const text = paragraph(100);
    const chunks = chunkText(text, "markdown");
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) expect(c.content.length).toBeLessThanOrEqual(CHUNK_TARGET_CHARS);
    expect((chunks[1] as Chunk).startOffset).toBeLessThan((chunks[0] as Chunk).endOffset);
    expect(chunks.at(-1)?.endOffset).toBe(text.length);
    expectExactPositions(text, chunks);
  });

  it("handles CRLF input with exact offsets and lines", () => {
    const text = "# Title\r\n\r\nFirst para.\r\n\r\n## Sub\r\n\r\n```\r\ncode line\r\n```\r\n";
    const chunks = chunkText(text, "markdown");
    expect(chunks.map((c) => c.heading)).toEqual(["Title", "Title › Sub"]);
    expect(chunks[1]?.content).toBe("## Sub\r\n\r\n```\r\ncode line\r\n```");
    expect(chunks.map((c) => [c.startLine, c.endLine])).toEqual([
      [1, 3],
      [5, 9],
    ]);
    expectExactPositions(text, chunks);
  });

  it("gives nothing for an empty or blank document", () => {
    for (const format of ["markdown", "text", "code"] as const) {
      expect(chunkText("", format)).toEqual([]);
      expect(chunkText(" \n\n\t\r\n ", format)).toEqual([]);
    }
  });
});

describe("chunkText (text and code)", () => {
  it("cuts plain text between paragraphs", () => {
    const paras = Array.from({ length: 6 }, (_, i) => paragraph(5, i * 5));
    const text = `${paras.join("\n\n")}\n`;
    const chunks = chunkText(text, "text");
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.heading === "")).toBe(true);
    expectExactPositions(text, chunks);
  });

  it("cuts code between top-level blocks, keeping a function with blank lines inside together", () => {
    const fn = (name: string) =>
      `export function ${name}() {\n  const a = 1;\n\n  return a + ${"x".repeat(500)}.length;\n}`;
    const text = `import x from "x";\n\n${fn("one")}\n\n${fn("two")}\n\n${fn("three")}\n`;
    const chunks = chunkText(text, "code");
    for (const name of ["one", "two", "three"]) {
      const holder = chunks.filter((c) => c.content.includes(`function ${name}()`));
      expect(holder).toHaveLength(1);
      expect(holder[0]?.content).toContain(`${fn(name)}`);
    }
    expect(chunks[0]?.startLine).toBe(1);
    expectExactPositions(text, chunks);
  });
});

describe("pages", () => {
  it("maps offsets to pages, and never lets a chunk span two pages", () => {
    const pages = [
      { page: 1, startOffset: 0 },
      { page: 2, startOffset: 100 },
      { page: 3, startOffset: 250 },
    ];
    expect([0, 99, 100, 249, 250, 9999].map((o) => pageOfOffset(pages, o))).toEqual([1, 1, 2, 2, 3, 3]);
    const text = `${"a".repeat(98)}\n\n${"b".repeat(148)}\n\n${"c".repeat(20)}`;
    const chunks = chunkPages(text, pages);
    expect(chunks.map((c) => [c.page, c.content[0], c.startLine])).toEqual([
      [1, "a", 1],
      [2, "b", 3],
      [3, "c", 5],
    ]);
    expectExactPositions(text, chunks);
  });
});

describe("pathological Markdown", () => {
  // The reviewer's inputs: each once stalled or crashed the parser. Read as plain text instead.
  const inputs: [string, string][] = [
    ["1,000 nested list levels", Array.from({ length: 1000 }, (_, i) => `${"  ".repeat(i)}- a`).join("\n")],
    ["200,000 emphasis openers", "*a ".repeat(200_000)],
    ["2,000 nested quotes", `${">".repeat(2000)} a`],
    ["8,000 nested quotes", `${">".repeat(8000)} a`],
  ];
  it.each(inputs)("%s is chunked as plain text, still indexed", (_, text) => {
    expect(isPathologicalMarkdown(text)).toBe(true);
    const chunks = chunkText(text, "markdown");
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks).toEqual(chunkText(text, "text"));
    expectExactPositions(text, chunks.slice(0, 20));
  });

  it("ordinary nesting and emphasis are still parsed as Markdown", () => {
    const text = `# Guide\n\n${Array.from({ length: 10 }, (_, i) => `${"  ".repeat(i)}- item *${i}*`).join("\n")}\n\n> > quoted **bold**`;
    expect(isPathologicalMarkdown(text)).toBe(false);
    expect(chunkText(text, "markdown")[0]?.heading).toBe("Guide");
  });
});

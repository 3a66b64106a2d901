import type { Nodes, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { CHUNK_TARGET_CHARS } from "./limits";

/**
 * A piece of a document the chunker never cuts inside (unless it alone is too large): a paragraph,
 * a list, a table, a code block, a heading. `section` groups units under the same headings; overlap
 * is only carried within a section.
 */
export type Unit = {
  start: number;
  end: number;
  heading: string;
  section: number;
  code: boolean;
  /** A heading line: never a chunk on its own, it goes with what follows. */
  title?: boolean;
};

/** Nesting (blockquote markers, list indentation levels) past which Markdown is read as text. */
export const MAX_MARKDOWN_NESTING = 32;
/** Emphasis/link delimiters in one block past which Markdown is read as text (micromark is quadratic). */
export const MAX_BLOCK_DELIMITERS = 2_000;

/**
 * Whether parsing this Markdown would cost far more than its size (deep lists or quotes, long runs
 * of emphasis or brackets in one block): one linear scan, no parse. Such a document is chunked as
 * plain text instead, still indexed.
 */
export function isPathologicalMarkdown(text: string): boolean {
  let delimiters = 0;
  for (const line of text.split("\n")) {
    if (!line.trim()) {
      delimiters = 0;
      continue;
    }
    const quote = /^(?:[ \t]*>)*/.exec(line)?.[0] ?? "";
    let quotes = 0;
    for (const c of quote) if (c === ">") quotes++;
    if (quotes > MAX_MARKDOWN_NESTING) return true;
    const list = /^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/.exec(line.slice(quote.length));
    if (list?.[1] && list[1].replace(/\t/g, "    ").length > MAX_MARKDOWN_NESTING * 2) return true;
    for (const c of line)
      if (c === "*" || c === "_" || c === "~" || c === "[" || c === "]" || c === "`") delimiters++;
    if (delimiters > MAX_BLOCK_DELIMITERS) return true;
  }
  return false;
}

/**
 * Markdown: top-level blocks by their source positions; a heading starts a section. Markdown whose
 * structure would make the parser slow (see `isPathologicalMarkdown`) is split as plain text.
 */
export function markdownUnits(text: string): Unit[] {
  if (isPathologicalMarkdown(text)) return paragraphUnits(text);
  const tree = fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const trail: { depth: number; title: string }[] = [];
  const units: Unit[] = [];
  let section = 0;
  let heading = "";
  for (const node of tree.children) {
    if (node.type === "heading") {
      while (trail.length && (trail.at(-1)?.depth ?? 0) >= node.depth) trail.pop();
      trail.push({ depth: node.depth, title: plain(node).replace(/\s+/g, " ").trim() });
      heading = trail
        .map((h) => h.title)
        .filter(Boolean)
        .join(" › ");
      section++;
    }
    if (node.type === "definition" || node.type === "yaml") continue;
    pushNode(units, node, heading, section);
  }
  return units;
}

/** A block too large to be one unit is split into its children (list items, table rows, quoted blocks). */
function pushNode(units: Unit[], node: RootContent, heading: string, section: number) {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return;
  const children = "children" in node ? (node.children as RootContent[]) : [];
  const splittable =
    node.type === "list" || node.type === "table" || node.type === "blockquote" || node.type === "listItem";
  if (end - start > CHUNK_TARGET_CHARS && splittable && children.length > 1) {
    for (const child of children) pushNode(units, child, heading, section);
    return;
  }
  units.push({
    start,
    end,
    heading,
    section,
    code: node.type === "code" || node.type === "html",
    title: node.type === "heading",
  });
}

function plain(node: Nodes): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(plain).join("");
  return "";
}

/** Plain text: paragraphs (separated by blank lines). */
export function paragraphUnits(text: string): Unit[] {
  return blocks(text).map(([start, end]) => ({ start, end, heading: "", section: 0, code: false }));
}

/**
 * Code: blank-line blocks, joined while the next block is indented or closes a bracket, so a
 * top-level declaration with blank lines inside stays one unit.
 */
export function codeUnits(text: string): Unit[] {
  const units: Unit[] = [];
  for (const [start, end] of blocks(text)) {
    const last = units.at(-1);
    if (last && /^[ \t}\])]/.test(text.slice(start, start + 1))) last.end = end;
    else units.push({ start, end, heading: "", section: 0, code: true });
  }
  return units;
}

/** [start, end) of each run of non-blank lines. */
function blocks(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/[^\r\n]*\S[^\r\n]*(?:\r?\n[^\r\n]*\S[^\r\n]*)*/g)) {
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

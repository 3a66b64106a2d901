import type { Element, Nodes, Root } from "hast";
import { fromHtml } from "hast-util-from-html";
import { toMdast } from "hast-util-to-mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";
import type { ChunkFormat } from "../types";
import { DocumentRefused } from "./document-refused";

const DROPPED = new Set(["script", "style", "noscript", "template", "iframe", "object", "embed", "svg"]);
/** Element nesting past which a page is read as plain text: the converters below recurse per level. */
export const MAX_HTML_DEPTH = 64;

/**
 * An HTML page as Markdown (headings, lists, tables, code kept), without scripts and styles. A page
 * nested deeper than `MAX_HTML_DEPTH` (which would overflow the recursive converters) is kept as
 * its plain text instead, still indexed.
 */
export function htmlToMarkdown(html: string): { text: string; format: ChunkFormat } {
  if (tagDepth(html) > MAX_HTML_DEPTH) return { text: strippedText(html), format: "text" };
  let tree: Root;
  try {
    tree = fromHtml(html);
  } catch (error) {
    if (error instanceof RangeError)
      throw new DocumentRefused("This HTML page is nested too deeply to read.");
    throw error;
  }
  if (depthOf(tree) > MAX_HTML_DEPTH) return { text: plainText(tree), format: "text" };
  strip(tree);
  const mdast = toMdast(tree);
  return { text: toMarkdown(mdast, { extensions: [gfmToMarkdown()] }).trim(), format: "markdown" };
}

const TAG = /<(\/?)([a-zA-Z][\w-]*)[^<>]*>/g;
/** Elements that close themselves or are closed implicitly: they do not nest. */
const FLAT = new Set(
  "area base br col embed hr img input link meta source track wbr p li dt dd tr td th option".split(" "),
);

/** Approximate element nesting from the tags alone (one linear scan, before any parser recurses). */
function tagDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(TAG)) {
    const name = (m[2] ?? "").toLowerCase();
    if (FLAT.has(name) || m[0].endsWith("/>")) continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

/** The text of HTML too deep to parse: tags removed, scripts and styles left out, entities kept. */
function strippedText(html: string): string {
  let out = "";
  let last = 0;
  let skipUntil: string | null = null;
  for (const m of html.matchAll(TAG)) {
    const name = (m[2] ?? "").toLowerCase();
    if (skipUntil) {
      if (m[1] && name === skipUntil) {
        skipUntil = null;
        last = m.index + m[0].length;
      }
      continue;
    }
    out += html.slice(last, m.index);
    if (BLOCKS.test(name)) out += "\n";
    last = m.index + m[0].length;
    if (!m[1] && DROPPED.has(name)) skipUntil = name;
  }
  if (!skipUntil) out += html.slice(last);
  return out
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Deepest element nesting, without recursion. */
function depthOf(root: Root): number {
  let max = 0;
  const stack: [Nodes, number][] = [[root, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > max) max = depth;
    if (max > MAX_HTML_DEPTH) return max;
    if ("children" in node) for (const child of node.children) stack.push([child, depth + 1]);
    if (node.type === "element" && node.content) stack.push([node.content, depth + 1]);
  }
  return max;
}

/** The text of a page without recursion, scripts and styles left out; block elements end a line. */
function plainText(root: Root): string {
  const out: string[] = [];
  const stack: (Nodes | "\n")[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node === "\n") {
      out.push("\n");
      continue;
    }
    if (node.type === "text") out.push(node.value);
    if (node.type === "element") {
      if (DROPPED.has(node.tagName)) continue;
      if (BLOCKS.test(node.tagName)) stack.push("\n");
    }
    if ("children" in node)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return out
    .join("")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const BLOCKS = /^(?:p|div|br|li|tr|h[1-6]|pre|blockquote|section|article|table|ul|ol|dl|dt|dd|hr)$/;

function strip(node: Root | Element) {
  node.children = node.children.filter(
    (child: Nodes) => !(child.type === "element" && DROPPED.has(child.tagName)) && child.type !== "comment",
  ) as typeof node.children;
  for (const child of node.children) if (child.type === "element") strip(child);
  if (node.type === "element" && node.content) strip(node.content);
}

import type { Element, Nodes, Root } from "hast";
import { fromHtml } from "hast-util-from-html";
import { toMdast } from "hast-util-to-mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";

const DROPPED = new Set(["script", "style", "noscript", "template", "iframe", "object", "embed", "svg"]);

/** An HTML page as Markdown (headings, lists, tables, code kept), without scripts and styles. */
export function htmlToMarkdown(html: string): string {
  const tree = fromHtml(html);
  strip(tree);
  const mdast = toMdast(tree);
  return toMarkdown(mdast, { extensions: [gfmToMarkdown()] }).trim();
}

function strip(node: Root | Element) {
  node.children = node.children.filter(
    (child: Nodes) => !(child.type === "element" && DROPPED.has(child.tagName)) && child.type !== "comment",
  ) as typeof node.children;
  for (const child of node.children) if (child.type === "element") strip(child);
  if (node.type === "element" && node.content) strip(node.content);
}

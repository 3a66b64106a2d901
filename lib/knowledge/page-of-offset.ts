import { chunkText } from "./chunk";
import type { Chunk } from "./types";

export type PageStart = { page: number; startOffset: number };

/** The 1-based page the character at `offset` is on, given where each page starts (ascending). */
export function pageOfOffset(pages: PageStart[], offset: number): number | undefined {
  let found: number | undefined;
  for (const p of pages) {
    if (p.startOffset > offset) break;
    found = p.page;
  }
  return found;
}

/**
 * Chunks of a paged text (a PDF's): each page chunked on its own, so a passage never spans two
 * pages and cites the one it is on; offsets and lines stay those of the whole text.
 */
export function chunkPages(text: string, pages: PageStart[]): Chunk[] {
  if (!pages.length) return chunkText(text, "text");
  const out: Chunk[] = [];
  pages.forEach((p, i) => {
    const end = pages[i + 1]?.startOffset ?? text.length;
    const lineShift = text.slice(0, p.startOffset).split("\n").length - 1;
    for (const c of chunkText(text.slice(p.startOffset, end), "text")) {
      out.push({
        ...c,
        startOffset: c.startOffset + p.startOffset,
        endOffset: c.endOffset + p.startOffset,
        startLine: c.startLine + lineShift,
        endLine: c.endLine + lineShift,
        page: p.page,
      });
    }
  });
  return out;
}

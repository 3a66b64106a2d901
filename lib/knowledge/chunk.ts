import type { Chunk, ChunkFormat } from "./types";

/**
 * Cuts a document's text into passages for search, each with its position.
 * FOUNDATION STUB: splits on blank lines only; the structure-aware chunker (headings, code blocks,
 * overlap) replaces it.
 */
export function chunkText(text: string, _format: ChunkFormat): Chunk[] {
  const chunks: Chunk[] = [];
  const re = /[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g;
  for (const m of text.matchAll(re)) {
    const content = m[0].trim();
    if (!content) continue;
    const startOffset = m.index ?? 0;
    const endOffset = startOffset + m[0].length;
    const startLine = text.slice(0, startOffset).split("\n").length;
    chunks.push({
      heading: "",
      content,
      startOffset,
      endOffset,
      startLine,
      endLine: startLine + m[0].split("\n").length - 1,
    });
  }
  return chunks;
}

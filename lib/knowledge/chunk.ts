import { codeUnits, markdownUnits, paragraphUnits, type Unit } from "./chunk-units";
import { CHUNK_OVERLAP_CHARS, CHUNK_TARGET_CHARS } from "./limits";
import type { Chunk, ChunkFormat } from "./types";

/** A code block up to this size is never cut; a larger one is cut at lines. */
export const CHUNK_HARD_MAX_CHARS = CHUNK_TARGET_CHARS * 3;

/**
 * Cuts a document's text into passages for search, each with its exact position in `text`
 * (`content === text.slice(startOffset, endOffset)`), its lines and its headings.
 * Markdown follows its structure: headings start sections (the breadcrumb goes in `heading`);
 * paragraphs, lists, tables and code blocks are packed whole up to `CHUNK_TARGET_CHARS`, and the
 * next chunk of the same section repeats up to `CHUNK_OVERLAP_CHARS` of the previous one. Code is
 * cut between top-level blocks, plain text between paragraphs.
 */
export function chunkText(text: string, format: ChunkFormat): Chunk[] {
  const units =
    format === "markdown" ? markdownUnits(text) : format === "code" ? codeUnits(text) : paragraphUnits(text);
  const lines = lineStarts(text);
  const ranges = pack(
    text,
    units.flatMap((u) => splitLarge(text, u)),
    format !== "code",
  );
  const chunks: Chunk[] = [];
  for (const r of ranges) {
    const [start, end] = trim(text, r.start, r.end);
    if (end <= start) continue;
    chunks.push({
      heading: r.heading,
      content: text.slice(start, end),
      startOffset: start,
      endOffset: end,
      startLine: lineAt(lines, start),
      endLine: lineAt(lines, end - 1),
    });
  }
  return chunks;
}

type Range = { start: number; end: number; heading: string };

/** Packs units of a section into chunks up to the target, with overlap from the previous chunk. */
function pack(text: string, units: Unit[], overlap: boolean): Range[] {
  const out: Range[] = [];
  let current: (Range & { section: number; units: Unit[] }) | null = null;
  for (const unit of units) {
    const fits = (c: { start: number; units: Unit[] }) =>
      unit.end - c.start <= CHUNK_TARGET_CHARS || c.units.every((u) => u.title);
    if (current && current.section === unit.section && fits(current)) {
      current.end = unit.end;
      current.units.push(unit);
      continue;
    }
    if (current) out.push(current);
    const carried: number | null =
      overlap && current && current.section === unit.section ? overlapStart(text, current.units, unit) : null;
    current = {
      start: carried ?? unit.start,
      end: unit.end,
      heading: unit.heading,
      section: unit.section,
      units: [unit],
    };
  }
  if (current) out.push(current);
  return out;
}

/**
 * Where the next chunk starts so that it repeats the end of the previous one: whole trailing units
 * when they fit the overlap, else the tail of the last (non-code) unit from a word boundary.
 * Null when nothing can be repeated without cutting a code block or going over the target.
 */
function overlapStart(text: string, previous: Unit[], next: Unit): number | null {
  const last = previous.at(-1);
  if (!last || last.code) return null;
  const budget = Math.min(CHUNK_OVERLAP_CHARS, CHUNK_TARGET_CHARS - (next.end - next.start));
  if (budget <= 0) return null;
  let start = Math.max(last.start, last.end - budget);
  if (start > last.start) {
    const space = text.slice(start, last.end).search(/\s\S/);
    if (space < 0) return null;
    start += space + 1;
  }
  return start < last.end ? start : null;
}

/**
 * A unit over the limit (the target for prose, the hard max for code) becomes several, cut at
 * blank lines, line ends, sentence ends or spaces, in that order of preference.
 */
function splitLarge(text: string, unit: Unit): Unit[] {
  const limit = unit.code ? CHUNK_HARD_MAX_CHARS : CHUNK_TARGET_CHARS;
  if (unit.end - unit.start <= limit) return [unit];
  const pieces: Unit[] = [];
  let start = unit.start;
  while (unit.end - start > CHUNK_TARGET_CHARS) {
    const window = text.slice(start, start + CHUNK_TARGET_CHARS);
    const min = Math.floor(CHUNK_TARGET_CHARS / 3);
    const cut = (unit.code ? ["\n"] : ["\n\n", "\n", ". ", " "])
      .map((sep) => window.lastIndexOf(sep))
      .find((i) => i >= min);
    const end = start + (cut === undefined ? CHUNK_TARGET_CHARS : cut + 1);
    pieces.push({ ...unit, start, end });
    start = end;
  }
  pieces.push({ ...unit, start, end: unit.end });
  return pieces;
}

function trim(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start] ?? "")) start++;
  while (end > start && /\s/.test(text[end - 1] ?? "")) end--;
  return [start, end];
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of the character at `offset`. */
function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

import { queryTerms } from "./query-terms";

/** Characters of a chunk shown in a result. */
export const SNIPPET_CHARS = 280;
/** Context kept before the first highlighted word. */
const LEAD_CHARS = 60;
export const MARK_OPEN = "«";
export const MARK_CLOSE = "»";

/** A rough English stem, enough to see "deploying" and "deployment" as the same word. */
function stem(word: string): string {
  const s = word.replace(/ies$/, "y").replace(/(ments?|ings?|ions?|ers?|ed|es|ly|s)$/, "");
  return s.length >= 3 ? s : word;
}

/** Edit distance, giving up (returning max + 1) once it exceeds `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      row.push(v);
      least = Math.min(least, v);
    }
    if (least > max) return max + 1;
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * Whether a word of the text answers a query term: the same word, the same stem, a longer word
 * the term begins (identifiers typed in part), one part of an identifier, or the term with a typo.
 */
function answers(token: string, term: string): boolean {
  if (token === term || (token.includes(term) && term.includes("_"))) return true;
  const parts = token.includes("_") ? [token, ...token.split("_")] : [token];
  const ts = stem(term);
  for (const part of parts) {
    if (part === term) return true;
    const ps = stem(part);
    if (ps === ts || (ts.length >= 4 && part.startsWith(ts))) return true;
    if (term.length >= 5 && editDistance(part, term, term.length >= 8 ? 2 : 1) <= (term.length >= 8 ? 2 : 1))
      return true;
  }
  return false;
}

/**
 * The part of `content` that best answers `query`, about SNIPPET_CHARS long, with each matching
 * word wrapped in «». The text is kept as it is (HTML and Markdown included, never interpreted;
 * the UI renders it as text), with whitespace runs folded and any «» of its own replaced by ‹›
 * so only the marks are marks.
 */
export function highlightSnippet(content: string, query: string): string {
  const terms = queryTerms(query);
  const hits: { start: number; end: number }[] = [];
  if (terms.length > 0) {
    for (const m of content.matchAll(/[\p{L}\p{N}_]+/gu)) {
      const token = m[0].toLowerCase();
      if (terms.some((t) => answers(token, t))) hits.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  // The window holding the most matches (earliest on ties), starting a little before its first.
  let from = 0;
  let bestCount = 0;
  for (let i = 0; i < hits.length; i++) {
    const begin = Math.max(0, (hits[i] as { start: number }).start - LEAD_CHARS);
    let n = 0;
    for (let j = i; j < hits.length && (hits[j] as { end: number }).end <= begin + SNIPPET_CHARS; j++) n++;
    if (n > bestCount) {
      bestCount = n;
      from = begin;
    }
  }
  if (from > 0) {
    // Start at a word boundary, never past the first match.
    const first = hits.find((h) => h.start >= from)?.start ?? from;
    const space = content.slice(from, first).search(/\s/);
    if (space >= 0) from += space + 1;
  }
  let to = Math.min(content.length, from + SNIPPET_CHARS);
  if (to < content.length) {
    const cut = content.slice(from, to).search(/\s\S*$/);
    if (cut > SNIPPET_CHARS / 2) to = from + cut;
  }
  const clean = (s: string) => s.replaceAll(MARK_OPEN, "‹").replaceAll(MARK_CLOSE, "›");
  let out = "";
  let at = from;
  for (const h of hits) {
    if (h.start < from || h.end > to) continue;
    out += `${clean(content.slice(at, h.start))}${MARK_OPEN}${clean(content.slice(h.start, h.end))}${MARK_CLOSE}`;
    at = h.end;
  }
  out += clean(content.slice(at, to));
  out = out.replace(/\s+/g, " ").trim();
  return `${from > 0 ? "…" : ""}${out}${to < content.length ? "…" : ""}`;
}

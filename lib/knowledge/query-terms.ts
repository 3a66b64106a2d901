/** Words too common to rank or highlight (Postgres' english configuration drops them as well). */
const STOPWORDS = new Set(
  (
    "a an and are as at be but by can do does for from has have how i if in into is it its me my no " +
    "not of on or our should so than that the their them then there these they this to was we were " +
    "what when where which who why will with you your"
  ).split(" "),
);

/** Most terms a query contributes: a pasted paragraph must not become a 300-branch query. */
export const MAX_QUERY_TERMS = 16;

/**
 * The words of a query worth matching: letters, digits and underscores (so `retry_backoff_ms`
 * stays one identifier), lowercased, stopwords and one-letter words left out, each once.
 * They carry no tsquery or regex syntax, so they are safe to hand to `to_tsquery`.
 */
export function queryTerms(query: string): string[] {
  const out: string[] = [];
  for (const [word] of query.toLowerCase().matchAll(/[\p{L}\p{N}_]+/gu)) {
    const w = word.replace(/^_+|_+$/g, "");
    if (w.length < 2 || STOPWORDS.has(w) || out.includes(w)) continue;
    out.push(w);
    if (out.length === MAX_QUERY_TERMS) break;
  }
  return out;
}

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

/** Words that say nothing about a topic, left out of a query built from a task's text. */
const TASK_STOPWORDS = new Set(
  (
    "about above after again also because been before being below between both cannot could does doing down during each " +
    "every from further have having here into itself just more most must need needs only other over same should some " +
    "such than that their them then there these they this those through under until very were what when where which " +
    "while will with within without would your yours make makes made using used uses goal task write writes written " +
    "include includes including based given like each them then into onto upon wants want"
  ).split(" "),
);

/**
 * A search query from a task's (or a goal's) text: its distinctive words, any of which may match
 * (`a or b or c`, as `websearch_to_tsquery` reads it), so a long description does not demand
 * every word at once. Empty when the text has no usable word.
 */
export function anyOfTerms(text: string, max = 12): string {
  const seen = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_-]{3,}/gu) ?? []) {
    const w = word.replace(/[-_]+$/, "");
    if (w.length < 4 || TASK_STOPWORDS.has(w) || /^\d+$/.test(w)) continue;
    seen.add(w);
    if (seen.size >= max) break;
  }
  return [...seen].join(" or ");
}

/** Words that say nothing about a topic, left out of a query built from a task's text. */
const STOPWORDS = new Set(
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
    if (w.length < 4 || STOPWORDS.has(w) || /^\d+$/.test(w)) continue;
    seen.add(w);
    if (seen.size >= max) break;
  }
  return [...seen].join(" or ");
}

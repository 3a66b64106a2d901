/** A piece of a search snippet: plain text, or a term the search matched. */
export type SnippetPart = { text: string; marked: boolean };

/**
 * Splits a snippet whose matched terms the search wrapped in «» into parts, so the page renders
 * them as <mark> elements around plain text: never as HTML, whatever the document contained.
 * An unclosed « marks nothing; stray » are kept as text.
 */
export function splitMarked(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (text: string, marked: boolean) => {
    if (!text) return;
    const last = parts.at(-1);
    if (last && last.marked === marked) last.text += text;
    else parts.push({ text, marked });
  };
  let rest = snippet;
  while (rest) {
    const open = rest.indexOf("«");
    const close = open < 0 ? -1 : rest.indexOf("»", open + 1);
    if (open < 0 || close < 0) {
      push(rest, false);
      break;
    }
    push(rest.slice(0, open), false);
    push(rest.slice(open + 1, close), true);
    rest = rest.slice(close + 1);
  }
  return parts;
}

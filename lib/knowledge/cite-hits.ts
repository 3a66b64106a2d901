import type { KnowledgeSearchResult } from "./types";

/** What one search hands an agent, in characters (about 1,500 tokens): passages are cut to share it. */
export const AGENT_SEARCH_BUDGET_CHARS = 6_000;
const PASSAGE_MAX_CHARS = 1_500;

export type CitedPassage = {
  /** How to cite it in an artifact, e.g. `Deployment guide › Rollback, lines 12–30`. */
  citation: string;
  title: string;
  documentId: string;
  source: string;
  /** The passage, cut to the budget (marked with "…" when cut). */
  content: string;
};

export type CitedSearch = {
  results: CitedPassage[];
  mode: KnowledgeSearchResult["mode"];
  note: string;
};

function cut(text: string, max: number): string {
  const flat = text.trim();
  if (flat.length <= max) return flat;
  const slice = flat.slice(0, Math.max(0, max - 1));
  const space = slice.lastIndexOf(" ");
  return `${(space > max / 2 ? slice.slice(0, space) : slice).trimEnd()}…`;
}

/**
 * A search result as an agent (or an IDE agent) reads it: each passage with its citation, the
 * document's title and id, its text cut so the whole answer stays within `budgetChars`.
 */
export function citedPassages(
  result: KnowledgeSearchResult,
  budgetChars = AGENT_SEARCH_BUDGET_CHARS,
): CitedSearch {
  const hits = result.hits;
  const each = Math.min(PASSAGE_MAX_CHARS, Math.floor(budgetChars / Math.max(hits.length, 1)));
  return {
    results: hits.map((h) => ({
      citation: h.citation,
      title: h.title,
      documentId: h.documentId,
      source: h.source,
      content: cut(h.content, each),
    })),
    mode: result.mode,
    note: hits.length
      ? "Cite the passages you rely on by their citation."
      : "Nothing in the knowledge base matches; say so rather than assuming a standard exists.",
  };
}

/**
 * How a passage is cited, by agents and in the UI: `Deployment guide › Rollback, lines 12–30`,
 * with `, p. 3` for a PDF page and ` (v2)` once the document has been revised. A heading trail
 * that repeats the title (a Markdown file's `# Title`) is not said twice.
 */
export function citeChunk(c: {
  title: string;
  heading: string;
  startLine: number;
  endLine: number;
  page: number | null;
  version: number;
}): string {
  let heading = c.heading.trim();
  if (heading === c.title) heading = "";
  else if (heading.startsWith(`${c.title} › `)) heading = heading.slice(c.title.length + 3);
  const lines = c.endLine > c.startLine ? `lines ${c.startLine}–${c.endLine}` : `line ${c.startLine}`;
  return `${c.title}${heading ? ` › ${heading}` : ""}, ${lines}${c.page ? `, p. ${c.page}` : ""}${c.version > 1 ? ` (v${c.version})` : ""}`;
}

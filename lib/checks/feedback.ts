import type { CheckRow } from "./record-check";
import { tailOf } from "./sanitize";

type Summary = Pick<
  CheckRow,
  "kind" | "command" | "status" | "exitCode" | "durationMs" | "counts" | "reason"
>;

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** One line per check: `test \`npm test\`: failed — 4 passed, 1 failed (1.2 s)`. */
export function checkLine(c: Summary): string {
  const counts = c.counts ? ` — ${c.counts.passed} passed, ${c.counts.failed} failed` : "";
  const why = c.status === "passed" ? "" : c.reason ? ` ${c.reason}` : "";
  return `${c.kind} \`${c.command}\`: ${c.status}${counts} (${seconds(c.durationMs)})${why}`;
}

/** Paths that are documentation, not code: a task that changed only these is not gated by checks. */
export function isDocumentationPath(p: string): boolean {
  const lower = p.toLowerCase();
  if (lower.startsWith("docs/")) return true;
  const base = lower.split("/").at(-1) ?? lower;
  if (/^(readme|changelog|changes|license|licence|contributing|authors|notice)(\.[a-z]+)?$/.test(base))
    return true;
  return /\.(md|mdx|markdown|txt|rst|adoc)$/.test(base);
}

/**
 * What an agent is sent back with when its commit's checks fail: each failing check and the end
 * of its output, the part that says what broke.
 */
export function failureFeedback(
  rows: readonly (Summary & Pick<CheckRow, "log">)[],
  commit: string | null,
): string {
  const failing = rows.filter((r) => r.status === "failed" || r.status === "error");
  const parts = failing.map(
    (r) => `- ${checkLine(r)}\n\`\`\`\n${tailOf(r.log || "(no output)", 60, 3000)}\n\`\`\``,
  );
  return [
    `The checks failed on your commit${commit ? ` ${commit.slice(0, 12)}` : ""}:`,
    ...parts,
    "Fix the cause (not the test, unless the test is wrong), run run_checks until they pass, then finish.",
  ]
    .join("\n")
    .slice(0, 8000);
}

/** The check results a reviewer reads beside the work. */
export function checksSection(rows: readonly Summary[]): string {
  if (!rows.length) return "";
  return `## Checks\n\n${rows.map((r) => `- ${checkLine(r)}`).join("\n")}`;
}

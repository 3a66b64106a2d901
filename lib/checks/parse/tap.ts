import type { CheckCounts } from "../kinds";
import { cleanLines } from "./text";

/**
 * TAP (version 12/13/14) and node:test's output. `node --test` in Node 20 prints TAP to a pipe,
 * ending with summary comments (`# tests 4`, `# pass 1`, `# fail 1`, `# cancelled 0`,
 * `# skipped 1`, `# todo 1`); its spec reporter prints the same summary with `ℹ`. The summary is
 * preferred: it counts leaf tests across files. Without it, test points are counted: `ok N` /
 * `not ok N`, `# SKIP` / `# TODO` directives, subtests indented, a parent's own point (printed
 * after its children) left out so a suite is not counted as a test.
 */
export function parseTap(output: string): CheckCounts | null {
  const lines = cleanLines(output);
  return parseSummary(lines) ?? parsePoints(lines);
}

const SUMMARY = /^(?:#|ℹ)\s+(tests|suites|pass|fail|cancelled|skipped|todo)\s+(\d+)\s*$/;

/** node:test's summary block(s); several blocks (several runs in one output) are added up. */
function parseSummary(lines: string[]): CheckCounts | null {
  const blocks: Record<string, number>[] = [];
  let current: Record<string, number> | null = null;
  for (const raw of lines) {
    const match = SUMMARY.exec(raw.trim());
    // Only top-level comments: an indented `# tests` belongs to a nested subtest stream.
    if (!match || /^\s{2,}/.test(raw)) continue;
    const [, key = "", value] = match;
    if (key === "tests" || current === null || key in current) {
      current = {};
      blocks.push(current);
    }
    current[key] = Number(value);
  }
  const usable = blocks.filter((b) => "pass" in b || "fail" in b);
  if (usable.length === 0) return null;
  const counts: CheckCounts = { format: "tap", passed: 0, failed: 0, skipped: 0, total: 0 };
  for (const b of usable) {
    const passed = b.pass ?? 0;
    // A cancelled test did not pass: it counts against the check.
    const failed = (b.fail ?? 0) + (b.cancelled ?? 0);
    const skipped = (b.skipped ?? 0) + (b.todo ?? 0);
    counts.passed += passed;
    counts.failed += failed;
    counts.skipped += skipped;
    counts.total += b.tests ?? passed + failed + skipped;
  }
  return counts;
}

const POINT = /^(\s*)(not ok|ok)\b(?:\s+\d+)?([^#]*)(?:#\s*(.*))?$/i;
const PLAN = /^\s*1\.\.(\d+)/;

function parsePoints(lines: string[]): CheckCounts | null {
  const points: { indent: number; ok: boolean; directive: "skip" | "todo" | null }[] = [];
  let sawTap = false;
  let yamlIndent: number | null = null;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (yamlIndent !== null) {
      // A YAML diagnostic block after a test point: `---` … `...`, skipped whole.
      if (body === "..." && indent <= yamlIndent) yamlIndent = null;
      continue;
    }
    if (body === "---" && points.length > 0) {
      yamlIndent = indent;
      continue;
    }
    if (/^TAP version \d+/i.test(body) || PLAN.test(line)) {
      sawTap = true;
      continue;
    }
    const match = POINT.exec(line);
    if (!match) continue;
    const directiveText = (match[4] ?? "").trim().toLowerCase();
    const directive = directiveText.startsWith("skip")
      ? "skip"
      : directiveText.startsWith("todo")
        ? "todo"
        : null;
    points.push({
      indent: (match[1] ?? "").length,
      ok: (match[2] ?? "").toLowerCase() === "ok",
      directive,
    });
  }
  // Bare `ok` lines are common in ordinary output: without a plan or a version line it is not TAP.
  if (!sawTap) return null;
  const counts: CheckCounts = { format: "tap", passed: 0, failed: 0, skipped: 0, total: 0 };
  points.forEach((point, i) => {
    const previous = points[i - 1];
    if (previous && previous.indent > point.indent) return; // a parent: its children were counted
    counts.total += 1;
    // A TODO point that fails is expected to; a SKIP point did not run.
    if (point.directive) counts.skipped += 1;
    else if (point.ok) counts.passed += 1;
    else counts.failed += 1;
  });
  return counts;
}

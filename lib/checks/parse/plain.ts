import type { CheckCounts } from "../kinds";
import { cleanLines } from "./text";

/**
 * Summary lines in words, the runners' own: jest (`Tests: 1 failed, 3 passed, 4 total`), vitest
 * (`Tests  1 failed | 3 passed (4)`), pytest (`=== 3 passed, 1 failed in 0.12s ===`), mocha
 * (`3 passing` / `1 failing` / `2 pending`), cargo (`test result: ok. 3 passed; 1 failed; …`, one
 * per test binary, added up), go test -v (`--- PASS:` / `--- FAIL:` / `--- SKIP:`), and any other
 * `N passed, N failed` line (the last one).
 */
export function parsePlain(output: string): CheckCounts | null {
  const raw = cleanLines(output);
  const lines = raw.map((line) => line.trim());
  return (
    cargo(lines) ?? jestOrVitest(lines) ?? pytest(lines) ?? mocha(lines) ?? goTest(raw) ?? generic(lines)
  );
}

type Tally = { passed: number; failed: number; skipped: number; total: number | null };

const WORDS: Record<string, keyof Tally | null> = {
  passed: "passed",
  passing: "passed",
  pass: "passed",
  passes: "passed",
  xpassed: "passed",
  succeeded: "passed",
  failed: "failed",
  failing: "failed",
  fail: "failed",
  failures: "failed",
  failure: "failed",
  errors: "failed",
  error: "failed",
  errored: "failed",
  skipped: "skipped",
  skip: "skipped",
  pending: "skipped",
  todo: "skipped",
  ignored: "skipped",
  xfailed: "skipped",
  total: "total",
  tests: "total",
  // Counted by the runner but not tests: measured benchmarks, filtered-out and deselected tests.
  measured: null,
  deselected: null,
  warnings: null,
  warning: null,
};

/** Every `N word` in a line, tallied by what the word means; null when it names no outcome. */
function tally(line: string): Tally | null {
  const t: Tally = { passed: 0, failed: 0, skipped: 0, total: null };
  let outcomes = 0;
  for (const m of line.matchAll(/(\d+)\s+([a-z]+)\b/gi)) {
    const key = WORDS[(m[2] ?? "").toLowerCase()];
    if (!key) continue;
    const n = Number(m[1]);
    if (key === "total") t.total = n;
    else {
      t[key] += n;
      outcomes += 1;
    }
  }
  return outcomes > 0 ? t : null;
}

function toCounts(t: Tally): CheckCounts {
  const sum = t.passed + t.failed + t.skipped;
  return {
    format: "plain",
    passed: t.passed,
    failed: t.failed,
    skipped: t.skipped,
    total: t.total !== null && t.total >= sum ? t.total : sum,
  };
}

function lastMatching(lines: string[], pattern: RegExp): Tally | null {
  for (const line of [...lines].reverse()) {
    if (!pattern.test(line)) continue;
    const t = tally(line);
    if (t) return t;
  }
  return null;
}

function cargo(lines: string[]): CheckCounts | null {
  const results = lines.filter((l) => /^test result:\s*\w+\./i.test(l));
  if (results.length === 0) return null;
  const sum: Tally = { passed: 0, failed: 0, skipped: 0, total: null };
  for (const line of results) {
    const t = tally(line.replace(/\d+\s+filtered out/gi, ""));
    if (!t) continue;
    sum.passed += t.passed;
    sum.failed += t.failed;
    sum.skipped += t.skipped;
  }
  return toCounts(sum);
}

function jestOrVitest(lines: string[]): CheckCounts | null {
  // `Tests:` (jest) or `Tests  …` (vitest), never `Test Files` / `Test Suites`.
  const t = lastMatching(lines, /^Tests:?\s+\d/);
  if (!t) return null;
  const line = lines.findLast((l) => /^Tests:?\s+\d/.test(l)) ?? "";
  // vitest: the total in brackets at the end.
  const bracket = /\((\d+)\)\s*$/.exec(line);
  if (t.total === null && bracket) t.total = Number(bracket[1]);
  return toCounts(t);
}

function pytest(lines: string[]): CheckCounts | null {
  const t = lastMatching(lines, /^=+ .*\bin [\d.]+s\b.*=+$/);
  return t ? toCounts(t) : null;
}

function mocha(lines: string[]): CheckCounts | null {
  const at = lines.findLastIndex((l) => /^\d+ passing\b/.test(l));
  if (at < 0) return null;
  const t: Tally = {
    passed: Number(/^(\d+)/.exec(lines[at] ?? "")?.[1] ?? 0),
    failed: 0,
    skipped: 0,
    total: null,
  };
  // `N pending` and `N failing` follow on their own lines, before the failures' details.
  for (const line of lines.slice(at + 1, at + 6)) {
    const m = /^(\d+) (pending|failing)\b/.exec(line);
    if (!m) continue;
    if (m[2] === "pending") t.skipped += Number(m[1]);
    else t.failed += Number(m[1]);
  }
  return toCounts(t);
}

function goTest(lines: string[]): CheckCounts | null {
  const t: Tally = { passed: 0, failed: 0, skipped: 0, total: null };
  let seen = false;
  for (const line of lines) {
    // Top-level tests only: subtests are indented and their parent reports for them.
    const m = /^--- (PASS|FAIL|SKIP): /.exec(line);
    if (!m) continue;
    seen = true;
    if (m[1] === "PASS") t.passed += 1;
    else if (m[1] === "FAIL") t.failed += 1;
    else t.skipped += 1;
  }
  return seen ? toCounts(t) : null;
}

function generic(lines: string[]): CheckCounts | null {
  const t = lastMatching(lines, /\d+\s+(passed|failed|passing|failing)\b/i);
  return t ? toCounts(t) : null;
}

import type { CheckCounts } from "../kinds";

/**
 * JUnit XML (surefire, jest-junit, pytest --junitxml, mocha-junit-reporter, go-junit-report…),
 * read with a tolerant scan rather than a full XML parser: the counts on `<testsuites>` when
 * present, else the sum over the outermost `<testsuite>` elements, else the `<testcase>`
 * elements counted by their `<failure>` / `<error>` / `<skipped>` children.
 */
export function parseJunit(output: string): CheckCounts | null {
  const xml = output.replace(/<!--[\s\S]*?-->/g, "").replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
  if (!/<testsuites?\b|<testcase\b/.test(xml)) return null;
  return fromRoot(xml) ?? fromSuites(xml) ?? fromCases(xml);
}

type Attrs = Record<string, string>;

function attributes(tag: string): Attrs {
  const attrs: Attrs = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs[(m[1] ?? "").toLowerCase()] = m[2] ?? m[3] ?? "";
  }
  return attrs;
}

function int(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Counts from a suite's attributes; null when it has no `tests` count. */
function fromAttrs(attrs: Attrs): Omit<CheckCounts, "format"> | null {
  const total = int(attrs.tests);
  if (total === null) return null;
  const failed = (int(attrs.failures) ?? 0) + (int(attrs.errors) ?? 0);
  const skipped = int(attrs.skipped) ?? int(attrs.skip) ?? int(attrs.disabled) ?? 0;
  return { passed: Math.max(0, total - failed - skipped), failed, skipped, total };
}

function fromRoot(xml: string): CheckCounts | null {
  const tag = /<testsuites\b[^>]*>/.exec(xml);
  if (!tag) return null;
  const counts = fromAttrs(attributes(tag[0]));
  return counts ? { format: "junit", ...counts } : null;
}

function fromSuites(xml: string): CheckCounts | null {
  const sum: CheckCounts = { format: "junit", passed: 0, failed: 0, skipped: 0, total: 0 };
  let depth = 0;
  let found = false;
  for (const m of xml.matchAll(/<(\/?)testsuite\b([^>]*?)(\/?)>/g)) {
    const [, closing, , selfClosing] = m;
    if (closing) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth === 0) {
      const counts = fromAttrs(attributes(m[0]));
      // A suite without counts: fall back to counting test cases for the whole document.
      if (!counts) return null;
      found = true;
      sum.passed += counts.passed;
      sum.failed += counts.failed;
      sum.skipped += counts.skipped;
      sum.total += counts.total;
    }
    if (!selfClosing) depth += 1;
  }
  return found ? sum : null;
}

function fromCases(xml: string): CheckCounts | null {
  const counts: CheckCounts = { format: "junit", passed: 0, failed: 0, skipped: 0, total: 0 };
  for (const m of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase\s*>)/g)) {
    const body = m[2] ?? "";
    counts.total += 1;
    if (/<(failure|error)\b/.test(body)) counts.failed += 1;
    else if (/<skipped\b/.test(body)) counts.skipped += 1;
    else counts.passed += 1;
  }
  return counts.total > 0 ? counts : null;
}

import type { CheckCounts } from "../kinds";
import { parseJunit } from "./junit";
import { parsePlain } from "./plain";
import { parseTap } from "./tap";

export { parseJunit } from "./junit";
export { parsePlain } from "./plain";
export { parseTap } from "./tap";

/**
 * The test counts a runner reported in its output, or null when it reported none we can read.
 * Tried in order: TAP (node:test's summary, then test points — only when the output is TAP),
 * JUnit XML, then the runners' summary lines in words.
 */
export function parseCheckCounts(output: string): CheckCounts | null {
  if (!output) return null;
  return parseTap(output) ?? parseJunit(output) ?? parsePlain(output);
}

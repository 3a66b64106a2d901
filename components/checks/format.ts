/** Display words for checks, pure (shared by the badges, the feed, the project page and tests). */
import { formatDuration } from "@/components/runs/format";
import {
  type CheckKind,
  type CheckStatus,
  NO_SANDBOX_MESSAGE,
  type SandboxDriverName,
} from "@/lib/checks/kinds";

/** The three colours a check shows: green passed, red failed, grey skipped or error. */
export type CheckTone = "passed" | "failed" | "neutral";

export const checkTone = (status: CheckStatus): CheckTone =>
  status === "passed" ? "passed" : status === "failed" ? "failed" : "neutral";

export const CHECK_KIND_LABEL: Record<CheckKind, string> = {
  install: "Install",
  build: "Build",
  lint: "Lint",
  test: "Tests",
};

export const CHECK_STATUS_LABEL: Record<CheckStatus, string> = {
  passed: "passed",
  failed: "failed",
  error: "could not run",
  skipped: "skipped",
};

/** "12 passed · 1 failed · 2 skipped", or null when the runner reported no counts. */
export function formatCounts(counts: {
  passed: number | null;
  failed: number | null;
  skipped?: number | null;
}): string | null {
  if (counts.passed === null && counts.failed === null) return null;
  const parts = [`${counts.passed ?? 0} passed`];
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.skipped) parts.push(`${counts.skipped} skipped`);
  return parts.join(" · ");
}

/** "250 ms", "3.4 s", "2m 05s". */
export function formatCheckDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return formatDuration(ms);
}

/** A label for how the command ran, when it is worth saying: unsandboxed on the host. */
export const driverLabel = (driver: SandboxDriverName | null | undefined): string | null =>
  driver === "host" ? "unsandboxed" : null;

/**
 * Why a check did not give a verdict, in words: the stored reason, else the no-sandbox message
 * for a skipped check on a host that cannot execute code.
 */
export function checkReason(check: {
  status: CheckStatus;
  reason?: string | null;
  driver?: SandboxDriverName | null;
  sandboxUnavailable?: boolean;
}): string | null {
  if (check.reason) return check.reason;
  if (check.status === "skipped" && (check.driver === "none" || check.sandboxUnavailable)) {
    return NO_SANDBOX_MESSAGE;
  }
  return null;
}

const OUTCOME_LABEL: Record<string, string> = {
  wall_time: "killed at the wall-time limit",
  cpu_time: "killed at the CPU-time limit",
  memory: "killed at the memory limit",
  processes: "stopped at the process limit",
  output: "stopped at the output limit",
};

/** How a command ended: "exit 0", "exit 1", "killed at the wall-time limit". */
export function formatOutcome(outcome: string | null, exitCode: number | null): string {
  if (outcome && outcome !== "exited") return OUTCOME_LABEL[outcome] ?? outcome.replace(/_/g, " ");
  return exitCode === null ? "no exit code" : `exit ${exitCode}`;
}

/** The last `count` lines of a text and how many lines came before them. */
export function tailLines(text: string, count: number): { hidden: number; lines: string[] } {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  if (text === "") return { hidden: 0, lines: [] };
  const hidden = Math.max(0, lines.length - count);
  return { hidden, lines: lines.slice(hidden) };
}

/** Every match of `query` (case-insensitive, literal) in the lines: line index and column. */
export function findMatches(
  lines: readonly string[],
  query: string,
  limit = 10_000,
): { line: number; start: number; end: number }[] {
  const needle = query.toLowerCase();
  if (!needle) return [];
  const matches: { line: number; start: number; end: number }[] = [];
  for (let line = 0; line < lines.length && matches.length < limit; line++) {
    const hay = (lines[line] ?? "").toLowerCase();
    let from = 0;
    for (;;) {
      const start = hay.indexOf(needle, from);
      if (start < 0 || matches.length >= limit) break;
      matches.push({ line, start, end: start + needle.length });
      from = start + needle.length;
    }
  }
  return matches;
}

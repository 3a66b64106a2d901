import type { checks } from "@/db/schema";
import type { CheckCounts, CheckKind, CheckScope, CheckStatus, SandboxDriverName } from "../kinds";

/** A check as the pages and the API show it, without its log. */
export type CheckInfo = {
  id: string;
  projectId: string;
  runId: string | null;
  taskId: string | null;
  attempt: number | null;
  scope: CheckScope;
  branch: string;
  commitSha: string | null;
  kind: CheckKind;
  command: string;
  status: CheckStatus;
  exitCode: number | null;
  durationMs: number;
  counts: CheckCounts | null;
  outputBytes: number;
  truncated: boolean;
  driver: SandboxDriverName;
  network: boolean;
  reason: string | null;
  cpuMs: number | null;
  maxRssKb: number | null;
  createdAt: string;
};

/** A check with its output (head and tail kept when it passed the output limit). */
export type CheckDetail = CheckInfo & { log: string };

type CheckRow = typeof checks.$inferSelect;

export function toCheckInfo(row: Omit<CheckRow, "log" | "orgId" | "stepKey">): CheckInfo {
  return {
    id: row.id,
    projectId: row.projectId,
    runId: row.runId,
    taskId: row.taskId,
    attempt: row.attempt,
    scope: row.scope,
    branch: row.branch,
    commitSha: row.commitSha,
    kind: row.kind,
    command: row.command,
    status: row.status,
    exitCode: row.exitCode,
    durationMs: row.durationMs,
    counts: row.counts ?? null,
    outputBytes: row.outputBytes,
    truncated: row.truncated,
    driver: row.driver,
    network: row.network,
    reason: row.reason,
    cpuMs: row.cpuMs,
    maxRssKb: row.maxRssKb,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Every column but the log, the org and the step key (for lists). */
export const checkInfoColumns = (table: typeof checks) => ({
  id: table.id,
  projectId: table.projectId,
  runId: table.runId,
  taskId: table.taskId,
  attempt: table.attempt,
  scope: table.scope,
  branch: table.branch,
  commitSha: table.commitSha,
  kind: table.kind,
  command: table.command,
  status: table.status,
  exitCode: table.exitCode,
  durationMs: table.durationMs,
  counts: table.counts,
  outputBytes: table.outputBytes,
  truncated: table.truncated,
  driver: table.driver,
  network: table.network,
  reason: table.reason,
  cpuMs: table.cpuMs,
  maxRssKb: table.maxRssKb,
  createdAt: table.createdAt,
});

export type BranchCheckStatus = {
  /** failed when any latest check failed or errored; passed when some passed and none failed. */
  status: "passed" | "failed" | "skipped";
  passed: number;
  failed: number;
  durationMs: number;
  commitSha: string | null;
  checkedAt: string;
  /** The latest check of each kind. */
  checks: CheckInfo[];
};

/** One status for a branch from the latest check of each kind; null when it has none. */
export function summarizeBranch(latest: CheckInfo[]): BranchCheckStatus | null {
  if (latest.length === 0) return null;
  const bad = latest.some((c) => c.status === "failed" || c.status === "error");
  const good = latest.some((c) => c.status === "passed");
  const newest = latest.reduce((a, b) => (a.createdAt >= b.createdAt ? a : b));
  return {
    status: bad ? "failed" : good ? "passed" : "skipped",
    passed: latest.reduce((n, c) => n + (c.counts?.passed ?? 0), 0),
    failed: latest.reduce((n, c) => n + (c.counts?.failed ?? 0), 0),
    durationMs: latest.reduce((n, c) => n + c.durationMs, 0),
    commitSha: newest.commitSha,
    checkedAt: newest.createdAt,
    checks: latest,
  };
}

import "server-only";
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { checks, projectRepositories, runs } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import type { RunStatus } from "@/lib/runs/events";
import {
  type BranchCheckStatus,
  type CheckInfo,
  checkInfoColumns,
  summarizeBranch,
  toCheckInfo,
} from "./check-info";

export type RunBranchCheckStatus = {
  runId: string;
  runNumber: number | null;
  goal: string;
  runStatus: RunStatus;
  branch: string;
  checks: BranchCheckStatus;
};

export type ProjectCheckStatus = {
  /** The project's default branch and its latest checks (null when it has never been checked). */
  defaultBranch: { branch: string; checks: BranchCheckStatus | null } | null;
  /** Run branches checked on their merged result, the most recently checked first. */
  runBranches: RunBranchCheckStatus[];
};

/** How many run branches the project page lists. */
export const PROJECT_RUN_BRANCHES_LIMIT = 10;

/** The latest row of each kind per group, from rows newest first. */
function latestPerKind<K>(rows: CheckInfo[], groupOf: (row: CheckInfo) => K): Map<K, CheckInfo[]> {
  const groups = new Map<K, Map<string, CheckInfo>>();
  for (const row of rows) {
    const key = groupOf(row);
    let byKind = groups.get(key);
    if (!byKind) {
      byKind = new Map();
      groups.set(key, byKind);
    }
    if (!byKind.has(row.kind)) byKind.set(row.kind, row);
  }
  return new Map([...groups].map(([key, byKind]) => [key, [...byKind.values()]]));
}

/**
 * The project page's checks: the latest status of the default branch, and of each run branch (the
 * run's `branch` checks after its last task).
 */
export async function getProjectCheckStatus(
  ctx: OrgContext,
  projectSlug: string,
): Promise<ProjectCheckStatus> {
  return ctx.tx(async (tx) => {
    const project = await findProjectRow(tx, ctx.org.id, projectSlug);
    const [repo] = await tx
      .select({ defaultBranch: projectRepositories.defaultBranch })
      .from(projectRepositories)
      .where(and(eq(projectRepositories.orgId, ctx.org.id), eq(projectRepositories.projectId, project.id)))
      .limit(1);

    let defaultBranch: ProjectCheckStatus["defaultBranch"] = null;
    if (repo) {
      const rows = await tx
        .select(checkInfoColumns(checks))
        .from(checks)
        .where(
          and(
            eq(checks.orgId, ctx.org.id),
            eq(checks.projectId, project.id),
            eq(checks.scope, "default_branch"),
            eq(checks.branch, repo.defaultBranch),
          ),
        )
        .orderBy(desc(checks.createdAt), desc(checks.id))
        .limit(200);
      const latest = latestPerKind(rows.map(toCheckInfo), () => "default").get("default") ?? [];
      defaultBranch = { branch: repo.defaultBranch, checks: summarizeBranch(latest) };
    }

    // The runs whose branch was checked most recently, then their checks.
    const recent = await tx
      .selectDistinctOn([checks.runId], { runId: checks.runId, at: checks.createdAt })
      .from(checks)
      .where(
        and(
          eq(checks.orgId, ctx.org.id),
          eq(checks.projectId, project.id),
          eq(checks.scope, "branch"),
          isNotNull(checks.runId),
        ),
      )
      .orderBy(checks.runId, desc(checks.createdAt));
    const runIds = recent
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, PROJECT_RUN_BRANCHES_LIMIT)
      .flatMap((r) => (r.runId ? [r.runId] : []));
    if (runIds.length === 0) return { defaultBranch, runBranches: [] };

    const runRows = await tx
      .select({ id: runs.id, number: runs.number, goal: runs.goal, status: runs.status })
      .from(runs)
      .where(and(eq(runs.orgId, ctx.org.id), inArray(runs.id, runIds)));
    const rows = await tx
      .select(checkInfoColumns(checks))
      .from(checks)
      .where(and(eq(checks.orgId, ctx.org.id), eq(checks.scope, "branch"), inArray(checks.runId, runIds)))
      .orderBy(desc(checks.createdAt), desc(checks.id));
    const byRun = latestPerKind(rows.map(toCheckInfo), (row) => row.runId ?? "");
    const runById = new Map(runRows.map((r) => [r.id, r]));
    const runBranches = runIds.flatMap((id): RunBranchCheckStatus[] => {
      const run = runById.get(id);
      const summary = summarizeBranch(byRun.get(id) ?? []);
      if (!run || !summary) return [];
      return [
        {
          runId: id,
          runNumber: run.number,
          goal: run.goal,
          runStatus: run.status,
          branch: summary.checks[0]?.branch ?? "",
          checks: summary,
        },
      ];
    });
    return { defaultBranch, runBranches };
  });
}

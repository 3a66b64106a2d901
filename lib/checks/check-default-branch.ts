import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { projectRepositories } from "@/db/schema";
import { originPath } from "@/lib/repos/paths";
import { resolveCommit } from "@/lib/repos/workspace/working-copy";
import type { SandboxAvailability } from "@/lib/sandbox/types";
import { commitTree } from "./commit-tree";
import { checkLine } from "./feedback";
import { GATE_CHECK_KINDS } from "./kinds";
import { checkPlan } from "./project-commands";
import { checksPassed, runChecks } from "./run-checks";

export type DefaultBranchCheck = {
  status: "passed" | "failed" | "skipped";
  commit: string | null;
  summary: string;
};

/**
 * The project's checks on the head of its default branch, stored with scope `default_branch`
 * under `stepKey` (one set per request: a retried step reuses what it stored).
 */
export async function checkDefaultBranch(
  ids: { orgId: string; projectId: string },
  stepKey: string,
  sandbox: () => Promise<SandboxAvailability>,
): Promise<DefaultBranchCheck> {
  const [repo] = await withTenant({ orgId: ids.orgId }, (tx) =>
    tx
      .select({ defaultBranch: projectRepositories.defaultBranch })
      .from(projectRepositories)
      .where(and(eq(projectRepositories.orgId, ids.orgId), eq(projectRepositories.projectId, ids.projectId)))
      .limit(1),
  );
  if (!repo) return { status: "skipped", commit: null, summary: "The project has no repository yet." };
  const origin = originPath(ids.orgId, ids.projectId);
  const head = await resolveCommit(origin, `refs/heads/${repo.defaultBranch}`);
  if (!head)
    return { status: "skipped", commit: null, summary: `The branch ${repo.defaultBranch} has no commit.` };
  const plan = await checkPlan(ids, { origin, commit: head });
  if (!plan.commands.some((c) => (GATE_CHECK_KINDS as readonly string[]).includes(c.kind))) {
    return { status: "skipped", commit: head, summary: "The project has no build, lint or test command." };
  }
  const available = await sandbox();
  const target = {
    ...ids,
    runId: null,
    taskId: null,
    attempt: null,
    scope: "default_branch" as const,
    branch: repo.defaultBranch,
    commitSha: head,
    stepKey,
  };
  const tree = available.available ? await commitTree(origin, ids, head) : null;
  try {
    const rows = await runChecks(target, plan, tree?.dir ?? "/nonexistent", available);
    const lines = rows
      .filter((r) => r.kind !== "install")
      .map(checkLine)
      .join("; ");
    if (!available.available) return { status: "skipped", commit: head, summary: available.reason };
    return { status: checksPassed(rows) ? "passed" : "failed", commit: head, summary: lines };
  } finally {
    await tree?.dispose();
  }
}

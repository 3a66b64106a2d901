import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { projects, runTasks } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findRunRow } from "@/lib/runs/queries";
import { type CommitInfo, describeCommits, readLog } from "./commit-log";
import { diffCommits, type TreeDiff } from "./diff";
import { branchNames, openRepoOf, verifyCommit } from "./repo";

export type RunChangesTask = {
  id: string;
  key: string;
  title: string;
  agentSlug: string;
  status: string;
  /** The commit that merged the task's work, when it is on the run branch. */
  commitSha: string | null;
};

export type RunChanges = {
  /** `no_branch`: the run has no branch yet (not started, or made before repositories). */
  state: "no_branch" | "no_commits" | "ready";
  project: { slug: string; name: string };
  branch: string | null;
  baseCommit: string | null;
  headCommit: string | null;
  /** Oldest first: the order the tasks were merged. */
  commits: CommitInfo[];
  tasks: RunChangesTask[];
  diff: TreeDiff | null;
};

const SHA = /^[0-9a-f]{40,64}$/;

/**
 * The run branch against the commit it started from: files changed (with line counts and the
 * unified patch), and each commit with the task that made it. The branch's tip is read from the
 * origin (it moves while the run works); the run's stored head is the fallback when the branch is
 * gone.
 */
export async function compareRun(ctx: OrgContext, runId: string): Promise<RunChanges> {
  return ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId);
    const [project] = await tx
      .select()
      .from(projects)
      .where(and(eq(projects.orgId, ctx.org.id), eq(projects.id, run.projectId)))
      .limit(1);
    if (!project) throw notFound("Run not found.");
    const repo = await openRepoOf(tx, ctx, project);
    const taskRows = await tx
      .select({
        id: runTasks.id,
        key: runTasks.key,
        title: runTasks.title,
        agentSlug: runTasks.agentSlug,
        status: runTasks.status,
        commitSha: runTasks.commitSha,
      })
      .from(runTasks)
      .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.runId, run.id)))
      .orderBy(asc(runTasks.position), asc(runTasks.key));
    const base: Omit<RunChanges, "state"> = {
      project: { slug: project.slug, name: project.name },
      branch: run.branch,
      baseCommit: run.baseCommit,
      headCommit: run.headCommit,
      commits: [],
      tasks: taskRows.map((t) => ({ ...t, commitSha: null })),
      diff: null,
    };
    const baseSha =
      run.baseCommit && SHA.test(run.baseCommit) ? await verifyCommit(repo.origin, run.baseCommit) : null;
    if (!run.branch || !baseSha) return { ...base, state: "no_branch" };

    const onOrigin = (await branchNames(repo.origin)).includes(run.branch)
      ? await verifyCommit(repo.origin, `refs/heads/${run.branch}`)
      : null;
    const stored =
      run.headCommit && SHA.test(run.headCommit) ? await verifyCommit(repo.origin, run.headCommit) : null;
    const head = onOrigin ?? stored ?? baseSha;

    const raw = await readLog(repo.origin, ["--reverse", `${baseSha}..${head}`, "--"]);
    const commits = await describeCommits(tx, repo, raw);
    const onBranch = new Set(commits.map((c) => c.sha));
    const commitOfTask = new Map(commits.filter((c) => c.task).map((c) => [c.task?.id, c.sha]));
    const tasks = taskRows.map((t) => ({
      ...t,
      commitSha:
        t.commitSha && onBranch.has(t.commitSha.toLowerCase())
          ? t.commitSha.toLowerCase()
          : (commitOfTask.get(t.id) ?? null),
    }));
    if (commits.length === 0) return { ...base, tasks, headCommit: head, state: "no_commits" };
    const diff = await diffCommits(repo.origin, baseSha, head);
    return { ...base, tasks, headCommit: head, commits, diff, state: "ready" };
  });
}

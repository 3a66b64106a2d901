import "server-only";
import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { projects, runs, runTasks } from "@/db/schema";
import { nextRunNumber } from "@/lib/runs/next-run-number";
import { runBranchName } from "../branch-name";
import { ensureRepository } from "../ensure-repository";
import { gitBare } from "../git";
import { branchRef } from "./refs";
import { resolveCommit } from "./working-copy";

type Scope = { orgId: string; runId: string };

export type RunRepository = { origin: string; projectId: string; branch: string; baseCommit: string };

/**
 * The run's branch in the project's origin, created once at the default branch's head (a fork:
 * at the commit of the task it was forked from). Idempotent: the ref is created with a
 * compare-and-swap against "absent" and an existing one is kept. Projects made before
 * repositories get theirs here, and runs without a number get one.
 */
export async function prepareRunBranch(scope: Scope): Promise<RunRepository> {
  return withTenant({ orgId: scope.orgId }, async (tx) => {
    const [run] = await tx
      .select()
      .from(runs)
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)))
      .for("update");
    if (!run) throw new Error(`Run ${scope.runId} not found in its organization.`);
    const [project] = await tx
      .select({ id: projects.id, name: projects.name, brief: projects.brief })
      .from(projects)
      .where(and(eq(projects.orgId, scope.orgId), eq(projects.id, run.projectId)));
    if (!project) throw new Error("The run's project is gone.");
    const { repo, origin } = await ensureRepository(tx, scope.orgId, project);
    const number = run.number ?? (await nextRunNumber(tx, scope.orgId, project.id));
    let start: string;
    if (run.forkedFromTaskId) {
      const [task] = await tx
        .select({ sha: runTasks.commitSha })
        .from(runTasks)
        .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, run.forkedFromTaskId)));
      if (!task?.sha) throw new Error("The task this run was forked from has no commit.");
      start = task.sha;
    } else {
      const tip = await resolveCommit(origin, branchRef(repo.defaultBranch));
      if (!tip) throw new Error(`The default branch ${repo.defaultBranch} has no commit.`);
      start = tip;
    }
    // A branch of that name that this run did not make (an imported repository may hold run
    // branches another instance pushed) is never adopted: the run takes the next free name.
    const wanted = run.branch ?? runBranchName(number, run.goal);
    let branch = wanted;
    let head: string | null = null;
    for (let n = 2; ; n++) {
      head = await resolveCommit(origin, branchRef(branch));
      if (!head) {
        // "" as the old value: create only if absent; a concurrent creator wins and is kept.
        await gitBare(origin, ["update-ref", branchRef(branch), start, ""], { okCodes: [128, 1] });
        head = await resolveCommit(origin, branchRef(branch));
        if (!head) throw new Error(`Could not create the run branch ${branch}.`);
        break;
      }
      // Ours: this step already ran (the base is recorded), or it made the ref and then crashed.
      if (run.baseCommit || head === start) break;
      if (n > 50) throw new Error(`No free branch name for this run near ${wanted}.`);
      branch = `${wanted}-${n}`;
    }
    // Nothing is merged before this step, so the head is where the branch started.
    const baseCommit = run.baseCommit ?? head;
    await tx
      .update(runs)
      .set({ number, branch, baseCommit, headCommit: run.headCommit ?? head })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    return { origin, projectId: project.id, branch, baseCommit };
  });
}

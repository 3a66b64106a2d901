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
    const branch = run.branch ?? runBranchName(number, run.goal);
    const ref = branchRef(branch);
    let head = await resolveCommit(origin, ref);
    if (!head) {
      let start: string | null;
      if (run.forkedFromTaskId) {
        const [task] = await tx
          .select({ sha: runTasks.commitSha })
          .from(runTasks)
          .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, run.forkedFromTaskId)));
        start = task?.sha ?? null;
        if (!start) throw new Error("The task this run was forked from has no commit.");
      } else {
        start = await resolveCommit(origin, branchRef(repo.defaultBranch));
        if (!start) throw new Error(`The default branch ${repo.defaultBranch} has no commit.`);
      }
      // "" as the old value: create only if absent; a concurrent creator wins and is kept.
      await gitBare(origin, ["update-ref", ref, start, ""], { okCodes: [128, 1] });
      head = await resolveCommit(origin, ref);
      if (!head) throw new Error(`Could not create the run branch ${branch}.`);
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

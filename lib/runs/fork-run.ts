import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { artifacts, runs, runTasks } from "@/db/schema";
import { loadAgentCatalog } from "@/lib/agents/org-agents";
import { AppError, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import { runBranchName } from "@/lib/repos/branch-name";
import { gitBare } from "@/lib/repos/git";
import { originPath } from "@/lib/repos/paths";
import { appendRunEvents } from "./event-log";
import { taskSnapshot } from "./execute/tools";
import { nextRunNumber } from "./next-run-number";
import { findRunRow } from "./queries";
import { isUuid } from "./schemas";
import { requestOrFail } from "./start-run";

export const forkRunBodySchema = z.object({
  taskId: z.string().uuid("Give the id of an accepted task of the run."),
  agentSlug: z
    .string()
    .trim()
    .min(2, "Give an agent's slug.")
    .max(64, "Give an agent's slug.")
    .optional()
    .describe("The agent that re-does the tasks after the fork point; each keeps its own when absent."),
});
export type ForkRunBody = z.infer<typeof forkRunBodySchema>;

/** The same, from the run page (which names its project and run). */
export const forkRunInputSchema = forkRunBodySchema.extend({
  project: z.string().trim().min(1, "Give the project.").max(64, "Give the project."),
  runId: z.string().uuid("Give the run's id."),
});

/** Ids of the commits on `base..tip` (the run branch up to the fork point). */
async function commitsUpTo(origin: string, base: string, tip: string): Promise<Set<string>> {
  const { stdout } = await gitBare(origin, ["rev-list", `${base}..${tip}`, "--"]);
  return new Set([base, ...stdout.split("\n").filter(Boolean)]);
}

/**
 * Forks a run at one of its accepted tasks: a new run (next number, its own branch) whose branch
 * starts at that task's commit, with the same plan. The tasks merged up to that commit keep their
 * results (done, same commit, their artifacts copied into the new run so its agents read them);
 * the others are done again, by `agentSlug` when given.
 */
export async function forkRun(
  ctx: OrgContext,
  projectSlug: string,
  runId: string,
  input: ForkRunBody,
): Promise<{ id: string; number: number; branch: string; status: "queued"; keptTasks: number }> {
  const forked = await ctx.tx(async (tx) => {
    const project = await findProjectRow(tx, ctx.org.id, projectSlug);
    const source = await findRunRow(tx, ctx.org.id, runId);
    if (source.projectId !== project.id) throw notFound("Run not found.");
    if (project.status !== "active") {
      throw new AppError("conflict", "This project is archived. Restore it before starting a run.");
    }
    const tasks = await tx
      .select()
      .from(runTasks)
      .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.runId, source.id)))
      .orderBy(asc(runTasks.position));
    const at = isUuid(input.taskId) ? tasks.find((t) => t.id === input.taskId) : undefined;
    if (!at) throw notFound("Task not found.");
    if (at.status !== "done" || !at.commitSha || !source.baseCommit) {
      throw new AppError("conflict", "Only an accepted task with a commit can be forked from.", {
        fieldErrors: { taskId: ["This task has no accepted commit yet."] },
      });
    }
    const catalog = await loadAgentCatalog(tx, ctx.org.id);
    if (input.agentSlug && !catalog.has(input.agentSlug)) {
      throw new AppError("validation", "Unknown agent.", {
        fieldErrors: { agentSlug: ["No agent with this slug."] },
      });
    }
    const origin = originPath(ctx.org.id, project.id);
    const merged = await commitsUpTo(origin, source.baseCommit, at.commitSha);
    const kept = new Set(
      tasks.filter((t) => t.status === "done" && t.commitSha && merged.has(t.commitSha)).map((t) => t.id),
    );
    kept.add(at.id);

    // The same lock as starting a run, so a fork and a new run never take one number.
    const number = await nextRunNumber(tx, ctx.org.id, project.id);
    const agentVersions = { ...source.agentVersions };
    if (input.agentSlug) agentVersions[input.agentSlug] ??= catalog.get(input.agentSlug)?.version ?? 0;
    const [run] = await tx
      .insert(runs)
      .values({
        orgId: ctx.org.id,
        projectId: project.id,
        goal: source.goal,
        templateSlug: source.templateSlug,
        status: "queued",
        tokenBudget: source.tokenBudget,
        agentVersions,
        modelLabel: source.modelLabel,
        usesDemoModel: source.usesDemoModel,
        number,
        branch: runBranchName(number, source.goal),
        forkedFromRunId: source.id,
        forkedFromTaskId: at.id,
        startedById: ctx.user.id,
      })
      .returning();
    if (!run) throw new Error("run insert returned no row");

    const copies = await tx
      .insert(runTasks)
      .values(
        tasks.map((t) => {
          const keep = kept.has(t.id);
          return {
            orgId: ctx.org.id,
            runId: run.id,
            key: t.key,
            phaseKey: t.phaseKey,
            title: t.title,
            description: t.description,
            agentSlug: keep ? t.agentSlug : (input.agentSlug ?? t.agentSlug),
            priority: t.priority,
            status: keep ? ("done" as const) : ("todo" as const),
            dependsOn: t.dependsOn,
            acceptanceCriteria: t.acceptanceCriteria,
            needsApproval: t.needsApproval,
            attempts: keep ? t.attempts : 0,
            position: t.position,
            commitSha: keep ? t.commitSha : null,
            finishedAt: keep ? t.finishedAt : null,
          };
        }),
      )
      .returning();
    const idOf = new Map(tasks.map((t) => [t.id, copies.find((c) => c.key === t.key)?.id]));
    // Sub-tasks keep their parent, in the new run.
    for (const t of tasks) {
      const parent = t.parentTaskId ? idOf.get(t.parentTaskId) : undefined;
      const id = idOf.get(t.id);
      if (parent && id) {
        await tx
          .update(runTasks)
          .set({ parentTaskId: parent })
          .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.id, id)));
      }
    }

    // The kept results' latest documents, so the agents that re-do the rest read them.
    const rows = await tx
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.orgId, ctx.org.id), eq(artifacts.runId, source.id)))
      .orderBy(asc(artifacts.createdAt));
    const latest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) {
      if (!row.taskId || !kept.has(row.taskId)) continue;
      const current = latest.get(row.artifactKey);
      if (!current || row.version > current.version) latest.set(row.artifactKey, row);
    }
    for (const row of latest.values()) {
      const id = crypto.randomUUID();
      await tx.insert(artifacts).values({
        ...row,
        id,
        artifactKey: id,
        version: 1,
        runId: run.id,
        taskId: idOf.get(row.taskId as string) ?? null,
        createdAt: new Date(),
      });
    }

    await appendRunEvents(tx, { orgId: ctx.org.id, runId: run.id }, [
      {
        type: "run.status",
        status: "queued",
        reason: `Forked from run ${source.number ?? ""} at ${at.key}.`.replace("  ", " "),
      },
      {
        type: "run.plan",
        phases: [
          ...new Map(copies.map((c) => [c.phaseKey, { key: c.phaseKey, title: c.phaseKey }])).values(),
        ],
        tasks: copies.sort((a, b) => a.position - b.position).map(taskSnapshot),
      },
    ]);
    await ctx.audit(tx, {
      action: "run.fork",
      target: { type: "run", id: run.id },
      metadata: { from: source.id, task: at.id, keptTasks: kept.size },
    });
    return { id: run.id, number, branch: run.branch ?? "", keptTasks: kept.size };
  });
  await requestOrFail({ orgId: ctx.org.id, runId: forked.id });
  return { ...forked, status: "queued" };
}

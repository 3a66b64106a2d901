import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db";
import { artifacts, projects, runTasks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import type { TaskRow } from "./shared";

/** What an external worker reads of its task. */
export type ExternalTaskView = {
  id: string;
  key: string;
  title: string;
  description: string;
  phaseKey: string;
  agentSlug: string;
  priority: TaskRow["priority"];
  status: TaskRow["status"];
  statusReason: string | null;
  dependsOn: string[];
  acceptanceCriteria: string[];
  needsApproval: boolean;
  worker: TaskRow["worker"];
  context: string;
  attempts: number;
  claimedAt: string | null;
  externalSummary: string | null;
  externalCommit: string | null;
};

export const externalTaskView = (t: TaskRow): ExternalTaskView => ({
  id: t.id,
  key: t.key,
  title: t.title,
  description: t.description,
  phaseKey: t.phaseKey,
  agentSlug: t.agentSlug,
  priority: t.priority,
  status: t.status,
  statusReason: t.statusReason,
  dependsOn: t.dependsOn,
  acceptanceCriteria: t.acceptanceCriteria,
  needsApproval: t.needsApproval,
  worker: t.worker,
  context: t.context,
  attempts: t.attempts,
  claimedAt: t.claimedAt?.toISOString() ?? null,
  externalSummary: t.externalSummary,
  externalCommit: t.externalCommit,
});

/** The claim of the caller: its API key, or none for a signed-in member. */
export const claimantOf = (ctx: OrgContext) => ctx.apiKey?.id ?? null;

/** Refuses a task that is not an external worker's, not ready, or claimed by someone else. */
export function assertClaimable(ctx: OrgContext, task: TaskRow): void {
  if (task.worker !== "external") {
    throw new AppError("conflict", `Task "${task.key}" is worked by our agents, not by an external worker.`);
  }
  if (task.status !== "waiting_worker") {
    const why =
      task.status === "todo"
        ? "is not ready yet: the tasks it depends on are not done"
        : task.status === "review" || task.status === "blocked"
          ? "is being checked"
          : `is ${task.status.replace("_", " ")}`;
    throw new AppError("conflict", `Task "${task.key}" ${why}; it cannot be claimed now.`);
  }
  if (task.claimedAt && task.claimedByApiKeyId !== claimantOf(ctx)) {
    throw new AppError("conflict", `Task "${task.key}" is already claimed by another worker.`);
  }
}

/**
 * The context an external worker takes on: the task's own notes, the project's shared context, and
 * what the tasks it depends on produced (their accepted results, summarized).
 */
export async function externalContext(
  tx: Tx,
  orgId: string,
  projectId: string,
  task: TaskRow,
  all: TaskRow[],
) {
  const [project] = await tx
    .select({ context: projects.context, slug: projects.slug })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), eq(projects.id, projectId)))
    .limit(1);
  const deps = all.filter((t) => task.dependsOn.includes(t.key));
  const arts = deps.length
    ? await tx
        .select({
          taskId: artifacts.taskId,
          title: artifacts.title,
          summary: artifacts.summary,
          version: artifacts.version,
        })
        .from(artifacts)
        .where(
          and(
            eq(artifacts.orgId, orgId),
            inArray(
              artifacts.taskId,
              deps.map((d) => d.id),
            ),
          ),
        )
    : [];
  const sections: string[] = [];
  if (task.context.trim()) sections.push(`## Task context\n\n${task.context.trim()}`);
  if (project?.context.trim()) sections.push(`## Project context\n\n${project.context.trim()}`);
  if (deps.length) {
    const lines = deps.map((d) => {
      const own = arts.filter((a) => a.taskId === d.id).sort((a, b) => b.version - a.version)[0];
      const summary = (d.externalSummary ?? own?.summary ?? "").replace(/\s+/g, " ").trim().slice(0, 600);
      const state = d.status === "done" ? "accepted" : d.status.replace("_", " ");
      const commit = d.commitSha ? ` (commit ${d.commitSha.slice(0, 12)})` : "";
      return `- ${d.key} — ${d.title} [${state}]${commit}${summary ? `: ${summary}` : ""}`;
    });
    sections.push(`## Results of the tasks it depends on\n\n${lines.join("\n")}`);
  }
  return { context: sections.join("\n\n"), projectSlug: project?.slug ?? "" };
}

export async function loadRunTasks(tx: Tx, orgId: string, runId: string): Promise<TaskRow[]> {
  return tx
    .select()
    .from(runTasks)
    .where(and(eq(runTasks.orgId, orgId), eq(runTasks.runId, runId)))
    .orderBy(runTasks.position);
}

import "server-only";
import { and, eq, or } from "drizzle-orm";
import { z } from "zod";
import { projects, runTasks } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { insightTitle } from "@/lib/knowledge/insight-schemas";
import { saveInsightDocument } from "@/lib/knowledge/save-insight";
import type { OrgContext } from "@/lib/orgs/context";
import { appendRunEvents } from "./event-log";
import { findRunRow } from "./queries";
import { isUuid } from "./schemas";

export const INSIGHT_MAX = 4_000;
/** The feed lane of an insight that no task's agent wrote (an IDE agent, a script). */
export const EXTERNAL_INSIGHT_AGENT = "external-worker";

export const addInsightSchema = z.object({
  /** A task of the run, by key (e.g. `t3`) or id; its agent's lane shows the insight. */
  task: z.string().trim().min(1).max(200).optional(),
  text: z
    .string({ error: "The insight must be text." })
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(1, "Write the insight.")
        .max(INSIGHT_MAX, `An insight must be at most ${INSIGHT_MAX.toLocaleString("en-US")} characters.`),
    ),
});
export type AddInsightInput = z.input<typeof addInsightSchema>;

/**
 * Appends an `insight` event to the run's feed (streamed to every viewer like our agents'
 * insights), in the lane of the task's agent when a task is named, and keeps it in the project's
 * knowledge (keyed by the event, in the same transaction) so later runs are offered it — when
 * the caller may write knowledge (`knowledge.write`).
 */
export async function addRunInsight(
  ctx: OrgContext,
  runId: string,
  input: AddInsightInput,
): Promise<{
  seq: number;
  taskId: string | null;
  agentSlug: string;
  documentId: string | null;
  /** Why the insight was not kept as knowledge, when the caller could have written it. */
  knowledgeNote?: string;
}> {
  const { task, text } = addInsightSchema.parse(input);
  return ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId);
    let taskRow: { id: string; agentSlug: string } | undefined;
    if (task) {
      [taskRow] = await tx
        .select({ id: runTasks.id, agentSlug: runTasks.agentSlug })
        .from(runTasks)
        .where(
          and(
            eq(runTasks.orgId, ctx.org.id),
            eq(runTasks.runId, run.id),
            isUuid(task) ? or(eq(runTasks.id, task), eq(runTasks.key, task)) : eq(runTasks.key, task),
          ),
        )
        .limit(1);
      if (!taskRow) throw notFound("Task not found.");
    }
    const agentSlug = taskRow?.agentSlug ?? EXTERNAL_INSIGHT_AGENT;
    const [stored] = await appendRunEvents(tx, { orgId: ctx.org.id, runId: run.id }, [
      { type: "insight", taskId: taskRow?.id ?? null, agentSlug, text },
    ]);
    const seq = stored?.seq ?? 0;
    // Kept as knowledge only for a caller that may write it (an API key may lack the scope).
    if (!ctx.can("knowledge.write")) return { seq, taskId: taskRow?.id ?? null, agentSlug, documentId: null };
    // An archived project's knowledge is read-only (as for uploads): the feed keeps the insight.
    const [project] = await tx
      .select({ status: projects.status })
      .from(projects)
      .where(and(eq(projects.orgId, ctx.org.id), eq(projects.id, run.projectId)))
      .limit(1);
    if (project?.status === "archived") {
      return {
        seq,
        taskId: taskRow?.id ?? null,
        agentSlug,
        documentId: null,
        knowledgeNote:
          "Added to the run's feed only: the project is archived, so its knowledge is read-only.",
      };
    }
    const saved = await saveInsightDocument(tx, {
      orgId: ctx.org.id,
      projectId: run.projectId,
      key: `insight:run:${run.id}:event:${seq}`,
      title: insightTitle(text),
      body: text,
      runId: run.id,
      taskId: taskRow?.id ?? null,
      agentSlug,
      userId: ctx.user.id,
    });
    return { seq, taskId: taskRow?.id ?? null, agentSlug, documentId: saved.id };
  });
}

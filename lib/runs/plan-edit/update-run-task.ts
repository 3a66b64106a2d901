import "server-only";
import { and, eq } from "drizzle-orm";
import { runTasks } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import type { TaskSnapshot } from "@/lib/runs/events";
import { taskSnapshot } from "@/lib/runs/execute/tools";
import { type UpdateRunTaskPatch, updateRunTaskSchema } from "./schemas";
import {
  asDraft,
  assertUnstarted,
  assertValidPlan,
  assignableAgents,
  findTask,
  nudgeRun,
  pinAgent,
  recordPlanEdit,
  withPlanEdit,
} from "./shared";

/**
 * Changes a task that has not started (title, description, agent, phase, dependencies, acceptance
 * criteria, priority, approval, worker), validated on the plan as it would be after the change.
 */
export async function updateRunTask(
  ctx: OrgContext,
  runId: string,
  taskKey: string,
  patch: UpdateRunTaskPatch,
): Promise<TaskSnapshot> {
  const data = parseWith(updateRunTaskSchema, patch);
  const result = await withPlanEdit(ctx, runId, async (session) => {
    const task = findTask(session, taskKey);
    assertUnstarted(task);
    if (data.phaseKey && !session.phases.some((p) => p.key === data.phaseKey)) {
      throw new AppError("validation", `The run has no phase "${data.phaseKey}".`, {
        fieldErrors: { phaseKey: [`The run has no phase "${data.phaseKey}".`] },
      });
    }
    const changes = Object.fromEntries(
      Object.entries(data).filter(([, v]) => v !== undefined),
    ) as typeof data;
    if (changes.dependsOn) changes.dependsOn = [...new Set(changes.dependsOn)];
    const after = { ...asDraft(task), ...changes };
    const agents = await assignableAgents(session.tx, ctx.org.id);
    assertValidPlan(
      session.tasks.map((t) => (t.id === task.id ? after : asDraft(t))),
      [task.key],
      agents.keys(),
      session.phases,
    );
    if (!Object.keys(changes).length) return taskSnapshot(task);
    const [row] = await session.tx
      .update(runTasks)
      .set(changes)
      .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.id, task.id)))
      .returning();
    if (!row) throw new Error("task update returned no row");
    await pinAgent(session, agents, row.agentSlug);
    await recordPlanEdit(ctx, session, {
      op: "update",
      taskKey: task.key,
      tasks: [row],
      metadata: { fields: Object.keys(changes) },
    });
    return taskSnapshot(row);
  });
  await nudgeRun({ orgId: ctx.org.id, runId: runId.toLowerCase() });
  return result;
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { runTasks } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import type { OrgContext } from "@/lib/orgs/context";
import { appendRunEvents } from "@/lib/runs/event-log";
import { taskSnapshot } from "@/lib/runs/execute/tools";
import { type ContextInput, contextSchema } from "./schemas";
import { actorName, findTask, withPlanEdit } from "./shared";

/**
 * Replaces a task's context: notes people and IDE agents leave for whoever works it (read with the
 * task over MCP and by the external worker's claim). Any task of a run that has not finished.
 */
export async function updateTaskContext(
  ctx: OrgContext,
  runId: string,
  taskKey: string,
  input: ContextInput,
): Promise<{ key: string; context: string }> {
  const { context } = parseWith(contextSchema, input);
  return withPlanEdit(ctx, runId, async (session) => {
    const task = findTask(session, taskKey);
    const [row] = await session.tx
      .update(runTasks)
      .set({ context })
      .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.id, task.id)))
      .returning();
    if (!row) throw new Error("task update returned no row");
    await appendRunEvents(session.tx, session.scope, [
      { type: "plan.edited", op: "context", tasks: [taskSnapshot(row)], by: actorName(ctx) },
    ]);
    await ctx.audit(session.tx, {
      action: "task.context_update",
      target: { type: "run", id: session.run.id },
      metadata: { task: task.key, length: context.length },
    });
    return { key: row.key, context: row.context };
  });
}

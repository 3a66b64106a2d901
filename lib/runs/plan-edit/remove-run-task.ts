import "server-only";
import { and, eq } from "drizzle-orm";
import { runTasks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { assertUnstarted, findTask, nudgeRun, recordPlanEdit, withPlanEdit } from "./shared";

/**
 * Removes a task that has not started. A task other tasks depend on is refused (409, naming them):
 * change their dependencies first, so no task silently loses an input it was planned with.
 */
export async function removeRunTask(
  ctx: OrgContext,
  runId: string,
  taskKey: string,
): Promise<{ key: string; removed: true }> {
  const result = await withPlanEdit(ctx, runId, async (session) => {
    const task = findTask(session, taskKey);
    assertUnstarted(task);
    const dependents = session.tasks.filter((t) => t.dependsOn.includes(task.key)).map((t) => t.key);
    if (dependents.length) {
      throw new AppError(
        "conflict",
        `Task "${task.key}" cannot be removed: ${dependents.map((k) => `"${k}"`).join(", ")} ${dependents.length === 1 ? "depends" : "depend"} on it. Remove it from their dependencies first.`,
      );
    }
    await session.tx.delete(runTasks).where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.id, task.id)));
    await recordPlanEdit(ctx, session, { op: "remove", taskKey: task.key, tasks: [], removed: [task.id] });
    return { key: task.key, removed: true as const };
  });
  await nudgeRun({ orgId: ctx.org.id, runId: runId.toLowerCase() });
  return result;
}

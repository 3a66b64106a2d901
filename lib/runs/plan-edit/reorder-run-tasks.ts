import "server-only";
import { and, eq } from "drizzle-orm";
import { runTasks } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { type ReorderRunTasksInput, reorderRunTasksSchema } from "./schemas";
import { assertUnstarted, nudgeRun, recordPlanEdit, withPlanEdit } from "./shared";

/**
 * Re-orders tasks that have not started: the listed tasks take the positions they occupy between
 * them, in the order given (started tasks keep theirs). Position breaks ties between ready tasks of
 * one priority, and is the board's order.
 */
export async function reorderRunTasks(
  ctx: OrgContext,
  runId: string,
  input: ReorderRunTasksInput,
): Promise<{ keys: string[] }> {
  const { keys } = parseWith(reorderRunTasksSchema, input);
  const result = await withPlanEdit(ctx, runId, async (session) => {
    if (new Set(keys).size !== keys.length) {
      throw new AppError("validation", "A task is listed twice.", {
        fieldErrors: { keys: ["List each task once."] },
      });
    }
    const byKey = new Map(session.tasks.map((t) => [t.key, t]));
    const unknown = keys.filter((k) => !byKey.has(k));
    if (unknown.length) {
      throw new AppError("validation", `The run has no task ${unknown.map((k) => `"${k}"`).join(", ")}.`, {
        fieldErrors: { keys: [`Unknown task ${unknown.map((k) => `"${k}"`).join(", ")}.`] },
      });
    }
    const moved = keys.map((k) => byKey.get(k) as (typeof session.tasks)[number]);
    for (const t of moved) assertUnstarted(t);
    const slots = moved.map((t) => t.position).sort((a, b) => a - b);
    // Positions may repeat in old plans; spread them so the new order is strict.
    const distinct = new Set(slots).size === slots.length;
    const changed = [];
    for (const [i, task] of moved.entries()) {
      const position = distinct ? (slots[i] as number) : (slots[0] as number) + i;
      if (position === task.position) continue;
      const [row] = await session.tx
        .update(runTasks)
        .set({ position })
        .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.id, task.id)))
        .returning();
      if (row) changed.push(row);
    }
    const positions = new Map(session.tasks.map((t) => [t.id, t.position]));
    for (const row of changed) positions.set(row.id, row.position);
    const order = [...session.tasks]
      .sort((a, b) => (positions.get(a.id) ?? 0) - (positions.get(b.id) ?? 0) || a.key.localeCompare(b.key))
      .map((t) => t.id);
    await recordPlanEdit(ctx, session, {
      op: "reorder",
      tasks: changed,
      order,
      metadata: { keys },
    });
    return { keys: order.map((id) => session.tasks.find((t) => t.id === id)?.key ?? id) };
  });
  await nudgeRun({ orgId: ctx.org.id, runId: runId.toLowerCase() });
  return result;
}

import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { removeRunTask, updateRunTask } from "@/lib/runs/plan-edit";
import { getRunTask, taskKeyOf } from "@/lib/runs/run-tasks";

export const GET = v1Route(operations.getRunTask, async ({ ctx, params }) => ({
  task: await getRunTask(ctx, params.run ?? "", params.task ?? ""),
}));

export const PATCH = v1Route(operations.updateRunTask, async ({ ctx, params, body }) => {
  const run = params.run ?? "";
  const updated = await updateRunTask(ctx, run, await taskKeyOf(ctx, run, params.task ?? ""), body);
  return { task: await getRunTask(ctx, run, updated.key) };
});

export const DELETE = v1Route(operations.removeRunTask, async ({ ctx, params }) => {
  const run = params.run ?? "";
  return removeRunTask(ctx, run, await taskKeyOf(ctx, run, params.task ?? ""));
});

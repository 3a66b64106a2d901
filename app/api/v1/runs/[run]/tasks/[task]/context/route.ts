import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { updateTaskContext } from "@/lib/runs/plan-edit";
import { taskKeyOf } from "@/lib/runs/run-tasks";

export const PUT = v1Route(operations.updateTaskContext, async ({ ctx, params, body }) => {
  const run = params.run ?? "";
  return { task: await updateTaskContext(ctx, run, await taskKeyOf(ctx, run, params.task ?? ""), body) };
});

import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { addRunTask } from "@/lib/runs/plan-edit";
import { getRunTask, listRunTasks } from "@/lib/runs/run-tasks";

export const GET = v1Route(operations.listRunTasks, async ({ ctx, params }) => ({
  data: await listRunTasks(ctx, params.run ?? ""),
}));

export const POST = v1Route(operations.addRunTask, async ({ ctx, params, body }) => {
  const added = await addRunTask(ctx, params.run ?? "", body);
  return Response.json({ task: await getRunTask(ctx, params.run ?? "", added.key) }, { status: 201 });
});

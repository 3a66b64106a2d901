import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { getRunTask } from "@/lib/runs/run-tasks";

export const GET = v1Route(operations.getRunTask, async ({ ctx, params }) => ({
  task: await getRunTask(ctx, params.run ?? "", params.task ?? ""),
}));

import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { listRunTasks } from "@/lib/runs/run-tasks";

export const GET = v1Route(operations.listRunTasks, async ({ ctx, params }) => ({
  data: await listRunTasks(ctx, params.run ?? ""),
}));

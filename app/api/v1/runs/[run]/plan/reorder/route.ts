import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { reorderRunTasks } from "@/lib/runs/plan-edit";

export const POST = v1Route(operations.reorderRunTasks, async ({ ctx, params, body }) =>
  reorderRunTasks(ctx, params.run ?? "", body),
);

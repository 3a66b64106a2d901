import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { cancelRun } from "@/lib/runs/cancel-run";

export const POST = v1Route(operations.cancelRun, async ({ ctx, params }) => ({
  run: await cancelRun(ctx, params.run ?? ""),
}));

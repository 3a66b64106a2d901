import { orgRoute } from "@/lib/api/route";
import { cancelRun } from "@/lib/runs/cancel-run";

export const POST = orgRoute({ permission: "runs.start" }, async ({ ctx, params }) => ({
  run: await cancelRun(ctx, params.run ?? ""),
}));

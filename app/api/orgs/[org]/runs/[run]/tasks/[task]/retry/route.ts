import { orgRoute } from "@/lib/api/route";
import { retryTask } from "@/lib/runs/retry-task";

export const POST = orgRoute({ permission: "runs.start" }, async ({ ctx, params }) => ({
  task: await retryTask(ctx, params.run ?? "", params.task ?? ""),
}));

import { orgRoute } from "@/lib/api/route";
import { pushRunNow } from "@/lib/repos/publish/push-run-now";

/** Pushes the run's branch to the connected remote (and opens or reuses the GitHub pull request). */
export const POST = orgRoute({ permission: "runs.start" }, async ({ ctx, params }) => ({
  push: await pushRunNow(ctx, params.project ?? "", params.run ?? ""),
}));

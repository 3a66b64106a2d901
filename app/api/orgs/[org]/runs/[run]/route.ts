import { orgRoute } from "@/lib/api/route";
import { getRunDetail } from "@/lib/runs/queries";

/** The run with its tasks, approvals and artifacts (every version). Events come from `/stream`. */
export const GET = orgRoute({ permission: "runs.read" }, async ({ ctx, params }) =>
  getRunDetail(ctx, params.run ?? ""),
);

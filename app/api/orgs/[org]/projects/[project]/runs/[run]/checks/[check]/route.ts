import { orgRoute } from "@/lib/api/route";
import { getCheck } from "@/lib/checks/read/get-check";

/** One of the run's checks with its log. */
export const GET = orgRoute({ permission: "runs.read" }, async ({ ctx, params }) => ({
  check: await getCheck(ctx, params.project ?? "", params.run ?? "", params.check ?? ""),
}));

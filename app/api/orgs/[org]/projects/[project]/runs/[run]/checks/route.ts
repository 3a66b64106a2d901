import { orgRoute } from "@/lib/api/route";
import { listRunChecks } from "@/lib/checks/read/list-run-checks";

/** The run's checks without their logs, newest first. */
export const GET = orgRoute({ permission: "runs.read" }, async ({ ctx, params }) => ({
  checks: await listRunChecks(ctx, params.project ?? "", params.run ?? ""),
}));

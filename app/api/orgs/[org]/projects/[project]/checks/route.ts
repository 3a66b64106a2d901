import { orgRoute } from "@/lib/api/route";
import { requestProjectChecks } from "@/lib/checks/request-project-checks";

/** Runs the project's checks on its default branch in the background; the project page shows the result. */
export const POST = orgRoute({ permission: "runs.start" }, async ({ ctx, params }) => ({
  ...(await requestProjectChecks(ctx, params.project ?? "")),
}));

import { orgRoute } from "@/lib/api/route";
import { compareRun } from "@/lib/repos/read/compare-run";

/** The run branch against its base: changed files with line counts and patch, and each commit. */
export const GET = orgRoute({ permission: "runs.read" }, async ({ ctx, params }) =>
  compareRun(ctx, params.run ?? ""),
);

import { orgRoute } from "@/lib/api/route";
import { listRecentRuns } from "@/lib/runs/queries";
import { listRunsQuerySchema } from "@/lib/runs/schemas";

/** The organization's most recent runs across projects (`?limit=`, at most 100). */
export const GET = orgRoute(
  { permission: "runs.read", query: listRunsQuerySchema },
  async ({ ctx, query }) => ({
    runs: await listRecentRuns(ctx, { limit: query.limit }),
  }),
);

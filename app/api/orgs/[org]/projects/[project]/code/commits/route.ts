import { orgRoute } from "@/lib/api/route";
import { listCommits } from "@/lib/repos/read/list-commits";
import { commitsQuerySchema } from "@/lib/repos/read/schemas";

/** History: `?ref=&path=&limit=` (at most 100) and `cursor=` from the previous page's `nextCursor`. */
export const GET = orgRoute(
  { permission: "projects.read", query: commitsQuerySchema },
  async ({ ctx, params, query }) => listCommits(ctx, params.project ?? "", query),
);

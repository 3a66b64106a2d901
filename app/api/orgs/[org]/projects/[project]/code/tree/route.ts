import { orgRoute } from "@/lib/api/route";
import { readTree } from "@/lib/repos/read/read-tree";
import { treeQuerySchema } from "@/lib/repos/read/schemas";

/** A folder: `?ref=` (branch or commit id, default branch when absent) `&path=` (root when absent). */
export const GET = orgRoute(
  { permission: "projects.read", query: treeQuerySchema },
  async ({ ctx, params, query }) => readTree(ctx, params.project ?? "", query),
);

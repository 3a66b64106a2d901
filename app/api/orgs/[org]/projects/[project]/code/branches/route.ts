import { orgRoute } from "@/lib/api/route";
import { listBranches } from "@/lib/repos/read/list-branches";

/** The project's branches, the default one first. */
export const GET = orgRoute({ permission: "projects.read" }, async ({ ctx, params }) =>
  listBranches(ctx, params.project ?? ""),
);

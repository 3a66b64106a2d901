import { orgRoute } from "@/lib/api/route";
import { archiveProject, unarchiveProject } from "@/lib/projects/archive-project";

/** POST archives the project, DELETE (removing the archived state) restores it. */
export const POST = orgRoute({ permission: "projects.write" }, async ({ ctx, params }) => ({
  project: await archiveProject(ctx, params.project ?? ""),
}));

export const DELETE = orgRoute({ permission: "projects.write" }, async ({ ctx, params }) => ({
  project: await unarchiveProject(ctx, params.project ?? ""),
}));

import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { getProjectByRef, projectSlugOf } from "@/lib/projects/project-ref";
import { updateProject } from "@/lib/projects/update-project";

export const GET = v1Route(operations.getProject, async ({ ctx, params }) => ({
  project: await getProjectByRef(ctx, params.project ?? ""),
}));

export const PATCH = v1Route(operations.updateProject, async ({ ctx, params, body }) => ({
  project: await updateProject(ctx, await projectSlugOf(ctx, params.project ?? ""), body),
}));

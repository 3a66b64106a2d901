import { orgRoute } from "@/lib/api/route";
import { getProject } from "@/lib/projects/queries";
import { PROJECT_BODY_MAX_BYTES, updateProjectSchema } from "@/lib/projects/schemas";
import { updateProject } from "@/lib/projects/update-project";

export const GET = orgRoute({ permission: "projects.read" }, async ({ ctx, params }) => ({
  project: await getProject(ctx, params.project ?? ""),
}));

/** Any of name, slug, description, brief. An archived project answers 409 until unarchived. */
export const PATCH = orgRoute(
  { permission: "projects.write", body: updateProjectSchema, maxBytes: PROJECT_BODY_MAX_BYTES },
  async ({ ctx, params, body }) => ({ project: await updateProject(ctx, params.project ?? "", body) }),
);

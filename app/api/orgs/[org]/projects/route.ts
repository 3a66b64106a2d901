import { orgRoute } from "@/lib/api/route";
import { createProject } from "@/lib/projects/create-project";
import { listProjects } from "@/lib/projects/queries";
import { createProjectSchema, listProjectsQuerySchema, PROJECT_BODY_MAX_BYTES } from "@/lib/projects/schemas";

/** `?status=active|archived` (default active) and `?q=` (name contains, any case). */
export const GET = orgRoute(
  { permission: "projects.read", query: listProjectsQuerySchema },
  async ({ ctx, query }) => ({
    projects: await listProjects(ctx, query),
  }),
);

export const POST = orgRoute(
  { permission: "projects.write", body: createProjectSchema, maxBytes: PROJECT_BODY_MAX_BYTES },
  async ({ ctx, body }) => Response.json({ project: await createProject(ctx, body) }, { status: 201 }),
);

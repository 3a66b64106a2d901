import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { createProject } from "@/lib/projects/create-project";
import { listProjectsPage } from "@/lib/projects/list-projects-page";

export const GET = v1Route(operations.listProjects, async ({ ctx, query }) => listProjectsPage(ctx, query));

export const POST = v1Route(operations.createProject, async ({ ctx, body }) =>
  Response.json({ project: await createProject(ctx, body) }, { status: 201 }),
);

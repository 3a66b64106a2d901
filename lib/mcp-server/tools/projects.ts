import "server-only";
import { z } from "zod";
import { getProjectWithContext } from "@/lib/projects/get-project-context";
import { listProjects } from "@/lib/projects/queries";
import { listProjectsQuerySchema } from "@/lib/projects/schemas";
import { updateProjectContext } from "@/lib/projects/update-project-context";
import { PLAN_EDIT_LIMITS } from "@/lib/runs/plan-edit/schemas";
import { defineTool } from "../define-tool";
import { projectInput } from "../inputs";

export const listProjectsTool = defineTool({
  name: "list_projects",
  title: "List projects",
  description: "Lists the organization's projects (active by default), most recently updated first.",
  permission: "projects.read",
  readOnly: true,
  input: {
    status: z.enum(["active", "archived"]).optional().describe("Active (default) or archived projects."),
    q: z.string().max(100).optional().describe("Only projects whose name contains this text."),
  },
  run: async (ctx, input) => ({ projects: await listProjects(ctx, listProjectsQuerySchema.parse(input)) }),
});

export const getProjectTool = defineTool({
  name: "get_project",
  title: "Get a project",
  description:
    "Reads a project: its name, description, brief and its shared context (conventions and decisions every agent should follow).",
  permission: "projects.read",
  readOnly: true,
  input: { project: projectInput },
  run: async (ctx, input) => ({ project: await getProjectWithContext(ctx, input.project) }),
});

export const updateProjectContextTool = defineTool({
  name: "update_project_context",
  title: "Update a project's context",
  description:
    "Replaces the project's shared context (read it first with get_project and send the whole new text), so later agents and runs receive it.",
  permission: "projects.write",
  readOnly: false,
  input: {
    project: projectInput,
    context: z.string().max(PLAN_EDIT_LIMITS.context).describe("The whole context, Markdown."),
  },
  run: async (ctx, input) => ({
    project: await updateProjectContext(ctx, input.project, { context: input.context }),
  }),
});

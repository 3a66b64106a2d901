"use server";

import { orgAction } from "@/lib/api/action";
import { archiveProject, unarchiveProject } from "@/lib/projects/archive-project";
import { createProject } from "@/lib/projects/create-project";
import { createProjectSchema, projectRefSchema, updateProjectActionSchema } from "@/lib/projects/schemas";
import { updateProject } from "@/lib/projects/update-project";

export const createProjectAction = orgAction(
  { permission: "projects.write", schema: createProjectSchema },
  (input, ctx) => createProject(ctx, input),
);

export const updateProjectAction = orgAction(
  { permission: "projects.write", schema: updateProjectActionSchema },
  ({ project, ...changes }, ctx) => updateProject(ctx, project, changes),
);

export const archiveProjectAction = orgAction(
  { permission: "projects.write", schema: projectRefSchema },
  ({ project }, ctx) => archiveProject(ctx, project),
);

export const unarchiveProjectAction = orgAction(
  { permission: "projects.write", schema: projectRefSchema },
  ({ project }, ctx) => unarchiveProject(ctx, project),
);

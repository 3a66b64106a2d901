"use server";

import { z } from "zod";
import { orgAction } from "@/lib/api/action";
import { requestProjectChecks } from "@/lib/checks/request-project-checks";

const projectChecksSchema = z.object({
  project: z.string({ error: "Enter a project." }).min(1, "Enter a project."),
});

/** The project page's "Run checks" button (components/checks/run-project-checks-button.tsx). */
export const runProjectChecksAction = orgAction(
  { permission: "runs.start", schema: projectChecksSchema },
  ({ project }, ctx) => requestProjectChecks(ctx, project),
);

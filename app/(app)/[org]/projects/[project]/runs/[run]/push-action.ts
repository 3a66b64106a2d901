"use server";

import { z } from "zod";
import { orgAction } from "@/lib/api/action";
import { pushRunNow } from "@/lib/repos/publish/push-run-now";

const pushRunSchema = z.object({
  project: z.string({ error: "Enter a project." }).min(1, "Enter a project."),
  run: z.string({ error: "Enter a run." }).min(1, "Enter a run."),
});

/** The run page's "Push branch" button (components/repos/push-run-button.tsx). */
export const pushRunAction = orgAction(
  { permission: "runs.start", schema: pushRunSchema },
  ({ project, run }, ctx) => pushRunNow(ctx, project, run),
);

"use server";

import { orgAction } from "@/lib/api/action";
import { cancelRun } from "@/lib/runs/cancel-run";
import { decideApproval } from "@/lib/runs/decide-approval";
import { forkRun, forkRunInputSchema } from "@/lib/runs/fork-run";
import { resumeRun } from "@/lib/runs/resume-run";
import { retryTask } from "@/lib/runs/retry-task";
import {
  decideApprovalInputSchema,
  resumeRunInputSchema,
  retryTaskInputSchema,
  runIdSchema,
  startRunInputSchema,
} from "@/lib/runs/schemas";
import { startRun } from "@/lib/runs/start-run";

/** StartRunForm: `{ project, goal, template, tokenBudget? }` → `{ id }`. */
export const startRunAction = orgAction(
  { permission: "runs.start", schema: startRunInputSchema },
  async ({ project, ...input }, ctx) => ({ id: (await startRun(ctx, project, input)).id }),
);

export const cancelRunAction = orgAction(
  { permission: "runs.start", schema: runIdSchema },
  ({ runId }, ctx) => cancelRun(ctx, runId),
);

export const retryTaskAction = orgAction(
  { permission: "runs.start", schema: retryTaskInputSchema },
  ({ runId, taskId }, ctx) => retryTask(ctx, runId, taskId),
);

export const decideApprovalAction = orgAction(
  { permission: "runs.approve", schema: decideApprovalInputSchema },
  ({ runId, approvalId, ...decision }, ctx) => decideApproval(ctx, runId, approvalId, decision),
);

export const resumeRunAction = orgAction(
  { permission: "runs.start", schema: resumeRunInputSchema },
  ({ runId, tokenBudget }, ctx) => resumeRun(ctx, runId, { tokenBudget }),
);

/** Task board "Fork here": `{ project, runId, taskId }` → the new run's id. */
export const forkRunAction = orgAction(
  { permission: "runs.start", schema: forkRunInputSchema },
  async ({ project, runId, ...input }, ctx) => ({ id: (await forkRun(ctx, project, runId, input)).id }),
);

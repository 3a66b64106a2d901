"use server";

import { orgAction } from "@/lib/api/action";
import { cancelRun } from "@/lib/runs/cancel-run";
import { decideApproval } from "@/lib/runs/decide-approval";
import { forkRun, forkRunInputSchema } from "@/lib/runs/fork-run";
import {
  type AddRunTaskInput,
  addRunTask,
  approveRunPlan,
  planEditActionSchema,
  type ReorderRunTasksInput,
  removeRunTask,
  reorderRunTasks,
  type UpdateRunTaskPatch,
  updateRunTask,
} from "@/lib/runs/plan-edit";
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

// The task board's plan edits (lib/runs/plan-edit validates each input and answers by field).
export const addRunTaskAction = orgAction(
  { permission: "runs.start", schema: planEditActionSchema },
  ({ runId, input }, ctx) => addRunTask(ctx, runId, (input ?? {}) as AddRunTaskInput),
);

export const updateRunTaskAction = orgAction(
  { permission: "runs.start", schema: planEditActionSchema },
  ({ runId, taskKey, input }, ctx) =>
    updateRunTask(ctx, runId, taskKey ?? "", (input ?? {}) as UpdateRunTaskPatch),
);

export const removeRunTaskAction = orgAction(
  { permission: "runs.start", schema: planEditActionSchema },
  ({ runId, taskKey }, ctx) => removeRunTask(ctx, runId, taskKey ?? ""),
);

export const reorderRunTasksAction = orgAction(
  { permission: "runs.start", schema: planEditActionSchema },
  ({ runId, input }, ctx) => reorderRunTasks(ctx, runId, (input ?? {}) as ReorderRunTasksInput),
);

export const approveRunPlanAction = orgAction(
  { permission: "runs.start", schema: runIdSchema },
  ({ runId }, ctx) => approveRunPlan(ctx, runId),
);

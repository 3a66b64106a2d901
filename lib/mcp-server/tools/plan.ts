import "server-only";
import { z } from "zod";
import { TASK_WORKERS } from "@/db/schema";
import { PLAN_LIMITS, TASK_PRIORITIES } from "@/lib/runs/plan";
import {
  addRunTask,
  approveRunPlan,
  claimExternalTask,
  completeExternalTask,
  PLAN_EDIT_LIMITS,
  removeRunTask,
  reorderRunTasks,
  updateRunTask,
  updateTaskContext,
} from "@/lib/runs/plan-edit";
import { defineTool } from "../define-tool";
import { runInput } from "../inputs";

/**
 * Plan edits and external work, through h-plans' verbs (lib/runs/plan-edit): the same validation
 * as the orchestrator's plan (unknown agents, cycles), audited and streamed to viewers. Every one
 * needs `runs.start`, as the REST routes and the task board.
 */

const taskKey = z
  .string()
  .trim()
  .min(1)
  .max(PLAN_EDIT_LIMITS.key)
  .describe("The task's key in the plan (kebab-case, e.g. `write-prd`).");

const fields = {
  title: z.string().max(PLAN_EDIT_LIMITS.title).describe("A short title."),
  description: z.string().max(PLAN_EDIT_LIMITS.description).describe("What to do and what to produce."),
  agentSlug: z
    .string()
    .max(80)
    .describe("The agent who works it (or whose role an external worker takes on), from list_agents."),
  phaseKey: z.string().max(PLAN_EDIT_LIMITS.key).describe("The phase it belongs to (see list_tasks)."),
  dependsOn: z
    .array(z.string().max(PLAN_EDIT_LIMITS.key))
    .max(PLAN_LIMITS.maxTasks)
    .describe("Keys of the tasks that must be done first."),
  acceptanceCriteria: z
    .array(z.string().max(PLAN_EDIT_LIMITS.criterion))
    .max(PLAN_LIMITS.maxAcceptanceCriteria)
    .describe("Checkable criteria the reviewer holds the work to."),
  priority: z.enum(TASK_PRIORITIES).describe("low, medium (default), high or critical."),
  needsApproval: z.boolean().describe("Whether a person approves the result."),
  worker: z
    .enum(TASK_WORKERS)
    .describe("`agent` (one of ours, default) or `external` (an IDE agent claims and works it)."),
};

export const createTaskTool = defineTool({
  name: "create_task",
  title: "Create a task",
  description:
    "Adds a task to a run's plan (before it starts working or while it runs), with its agent, phase, dependencies and acceptance criteria. Set worker `external` to work it yourself (claim_task, then complete_task).",
  permission: "runs.start",
  readOnly: false,
  input: {
    run: runInput,
    key: taskKey.optional().describe("The new task's key; made from the title when left out."),
    title: fields.title,
    description: fields.description,
    agentSlug: fields.agentSlug,
    phaseKey: fields.phaseKey,
    phaseName: z
      .string()
      .max(PLAN_EDIT_LIMITS.title)
      .optional()
      .describe("Name of a new phase, when phaseKey is not one of the run's phases."),
    dependsOn: fields.dependsOn.optional(),
    acceptanceCriteria: fields.acceptanceCriteria,
    priority: fields.priority.optional(),
    needsApproval: fields.needsApproval.optional(),
    worker: fields.worker.optional(),
  },
  run: async (ctx, { run, ...task }) => ({ task: await addRunTask(ctx, run, task) }),
});

export const updateTaskTool = defineTool({
  name: "update_task",
  title: "Update a task",
  description:
    "Changes a task that has not started: title, description, agent, phase, dependencies, acceptance criteria, priority, approval or worker. Send only the fields to change.",
  permission: "runs.start",
  readOnly: false,
  input: {
    run: runInput,
    task: taskKey,
    title: fields.title.optional(),
    description: fields.description.optional(),
    agentSlug: fields.agentSlug.optional(),
    phaseKey: fields.phaseKey.optional(),
    dependsOn: fields.dependsOn.optional(),
    acceptanceCriteria: fields.acceptanceCriteria.optional(),
    priority: fields.priority.optional(),
    needsApproval: fields.needsApproval.optional(),
    worker: fields.worker.optional(),
  },
  run: async (ctx, { run, task, ...patch }) => {
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    return { task: await updateRunTask(ctx, run, task, changes) };
  },
});

export const removeTaskTool = defineTool({
  name: "remove_task",
  title: "Remove a task",
  description: "Removes a task that has not started and that no other task depends on.",
  permission: "runs.start",
  readOnly: false,
  input: { run: runInput, task: taskKey },
  run: async (ctx, input) => removeRunTask(ctx, input.run, input.task),
});

export const reorderTasksTool = defineTool({
  name: "reorder_tasks",
  title: "Re-order tasks",
  description: "Puts tasks that have not started in a new order (their keys, first to last).",
  permission: "runs.start",
  readOnly: false,
  input: {
    run: runInput,
    keys: z
      .array(z.string().max(PLAN_EDIT_LIMITS.key))
      .min(1)
      .max(PLAN_LIMITS.maxTasks * 2),
  },
  run: async (ctx, input) => reorderRunTasks(ctx, input.run, { keys: input.keys }),
});

export const approveRunPlanTool = defineTool({
  name: "approve_run_plan",
  title: "Approve a run's plan",
  description:
    "Starts a run that was started with reviewPlan and waits with its plan: its agents begin working the tasks.",
  permission: "runs.start",
  readOnly: false,
  input: { run: runInput },
  run: async (ctx, input) => approveRunPlan(ctx, input.run),
});

export const updateTaskContextTool = defineTool({
  name: "update_task_context",
  title: "Update a task's context",
  description:
    "Replaces a task's context: notes for whoever works it (read it first with get_task and send the whole new text).",
  permission: "runs.start",
  readOnly: false,
  input: {
    run: runInput,
    task: taskKey,
    context: z.string().max(PLAN_EDIT_LIMITS.context).describe("The whole context, Markdown."),
  },
  run: async (ctx, input) => ({
    task: await updateTaskContext(ctx, input.run, input.task, { context: input.context }),
  }),
});

export const claimTaskTool = defineTool({
  name: "claim_task",
  title: "Claim a task",
  description:
    "Claims a task that waits for an external worker, so you work it: returns the task, the role to take on (the agent's prompt), its context, and the run branch to clone and push to. Claiming again with the same key returns the same claim.",
  permission: "runs.start",
  readOnly: false,
  input: { run: runInput, task: taskKey },
  run: async (ctx, input, call) => {
    const claim = await claimExternalTask(ctx, input.run, input.task);
    const cloneUrl = new URL(claim.cloneUrlPath, call.appOrigin).toString();
    return {
      claim,
      cloneUrl,
      howTo: `Clone with your API key (it needs the repos.read and repos.write scopes): git -c http.extraHeader="Authorization: Bearer <your key>" clone --branch ${claim.branch} ${cloneUrl}; push your commits to ${claim.branch}, then call complete_task with the commit.`,
    };
  },
});

export const completeTaskTool = defineTool({
  name: "complete_task",
  title: "Complete a task",
  description:
    "Hands in a task you claimed: a summary of what you did and the commit you pushed to the run branch. The run then checks it like any task (the project's checks, the reviewer); a rejection sends it back to you with the reasons in its context.",
  permission: "runs.start",
  readOnly: false,
  input: {
    run: runInput,
    task: taskKey,
    summary: z.string().max(PLAN_EDIT_LIMITS.summary).describe("What you did, for the reviewer."),
    commit: z.string().max(40).optional().describe("The sha of your commit on the run branch."),
  },
  run: async (ctx, input) =>
    completeExternalTask(ctx, input.run, input.task, { summary: input.summary, commit: input.commit }),
});

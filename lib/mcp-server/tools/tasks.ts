import "server-only";
import { z } from "zod";
import { addRunInsight, INSIGHT_MAX } from "@/lib/runs/add-insight";
import { FINAL_RUN_STATUSES } from "@/lib/runs/events";
import { getRunDetail, listProjectRuns, listRecentRuns, type RunDetail } from "@/lib/runs/queries";
import { defineTool } from "../define-tool";
import { projectInput, runInput, taskInput, taskStatusInput } from "../inputs";
import { findTask, nextReadyTask, runSummary, taskDetail, taskSummary } from "../present";

export const listTasksTool = defineTool({
  name: "list_tasks",
  title: "List a run's tasks",
  description:
    "Lists the tasks of a run's plan in plan order, with their status, agent, worker and dependencies.",
  permission: "runs.read",
  readOnly: true,
  input: { run: runInput, status: taskStatusInput.optional() },
  run: async (ctx, input) => {
    const detail = await getRunDetail(ctx, input.run);
    const tasks = input.status ? detail.tasks.filter((t) => t.status === input.status) : detail.tasks;
    return { run: runSummary(detail), tasks: tasks.map(taskSummary) };
  },
});

export const getTaskTool = defineTool({
  name: "get_task",
  title: "Get a task",
  description:
    "Reads one task in full: description, acceptance criteria (what the reviewer checks), its context notes, its dependencies and their status, and the artifacts it produced.",
  permission: "runs.read",
  readOnly: true,
  input: { run: runInput, task: taskInput },
  run: async (ctx, input) => {
    const detail = await getRunDetail(ctx, input.run);
    return { run: runSummary(detail), task: taskDetail(detail, findTask(detail, input.task)) };
  },
});

/** How many unfinished runs get_next_ready_task looks through when not given one. */
const SCAN_RUNS = 10;

export const getNextReadyTaskTool = defineTool({
  name: "get_next_ready_task",
  title: "Get the next ready task",
  description:
    "Finds the next task ready to work: one you claimed with this key and have not completed, then tasks waiting for an external worker (an IDE agent: claim them with claim_task), then unclaimed `todo` tasks whose dependencies are all done. Looks in one run, the unfinished runs of a project, or the organization's unfinished runs.",
  permission: "runs.read",
  readOnly: true,
  input: {
    run: runInput.optional(),
    project: projectInput.optional(),
    externalOnly: z.boolean().optional().describe("Only tasks assigned to an external worker."),
  },
  run: async (ctx, input) => {
    let details: RunDetail[];
    if (input.run) {
      details = [await getRunDetail(ctx, input.run)];
    } else {
      const runs = input.project
        ? await listProjectRuns(ctx, input.project, { limit: 50 })
        : await listRecentRuns(ctx, { limit: 50 });
      const open = runs.filter((r) => !FINAL_RUN_STATUSES.includes(r.status)).slice(0, SCAN_RUNS);
      // Oldest unfinished run first: its work has waited longest.
      details = await Promise.all(open.reverse().map((r) => getRunDetail(ctx, r.id)));
    }
    const next = nextReadyTask(details, {
      externalOnly: input.externalOnly,
      claimant: ctx.apiKey?.id ?? null,
    });
    if (!next) return { task: null, message: "No task is ready right now." };
    return {
      run: runSummary(next.detail),
      task: taskDetail(next.detail, findTask(next.detail, next.task.key)),
    };
  },
});

export const addInsightTool = defineTool({
  name: "add_insight",
  title: "Add an insight",
  description:
    "Adds an insight (a decision, constraint or lesson) to a run's feed, where viewers see it live; name a task to put it in that task's lane.",
  permission: "runs.start",
  readOnly: false,
  input: {
    run: runInput,
    task: taskInput.optional(),
    text: z.string().max(INSIGHT_MAX).describe("The insight, stated so it stands on its own."),
  },
  run: async (ctx, input) => ({
    insight: await addRunInsight(ctx, input.run, { task: input.task, text: input.text }),
  }),
});

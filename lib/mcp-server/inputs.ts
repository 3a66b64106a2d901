import { z } from "zod";
import { TASK_STATUSES } from "@/lib/runs/schedule";

/** Input fields the tools share, described for the IDE agent that fills them in. */
export const projectInput = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .describe("The project's slug (from list_projects), e.g. `billing-api`.");

export const runInput = z.uuid({ message: "That is not a valid run id." }).describe("The run's id (a UUID).");

export const taskInput = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe("A task of the run, by its key in the plan (e.g. `t3`) or its id.");

export const taskStatusInput = z.enum(TASK_STATUSES).describe("Only tasks in this status.");

import { z } from "zod";
import { PLAN_LIMITS, TASK_PRIORITIES } from "@/lib/runs/plan";

/**
 * Inputs of the plan-edit verbs (the task board, REST and MCP share them). Field names are the
 * stored task's: `agentSlug`, `phaseKey`, `dependsOn`, `acceptanceCriteria`.
 */

export const PLAN_EDIT_LIMITS = {
  title: 200,
  description: 8_000,
  criterion: 500,
  context: 20_000,
  summary: 20_000,
  key: 60,
} as const;

const KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const taskKeySchema = z
  .string({ message: "Give the task key." })
  .trim()
  .min(1, "Give the task key.")
  .max(PLAN_EDIT_LIMITS.key, `Keep the key under ${PLAN_EDIT_LIMITS.key} characters.`)
  .regex(KEY, 'The key must be kebab-case (lowercase letters, digits and dashes), e.g. "write-prd".');

const title = z
  .string({ message: "Give the task a title." })
  .trim()
  .min(1, "Give the task a title.")
  .max(PLAN_EDIT_LIMITS.title, `Keep the title under ${PLAN_EDIT_LIMITS.title} characters.`);

const description = z
  .string({ message: "Describe the task." })
  .trim()
  .min(1, "Describe what to do and what to produce.")
  .max(
    PLAN_EDIT_LIMITS.description,
    `Keep the description under ${PLAN_EDIT_LIMITS.description.toLocaleString("en-US")} characters.`,
  );

const agentSlug = z
  .string({ message: "Choose an agent." })
  .trim()
  .min(1, "Choose an agent.")
  .max(80, "Choose an agent.");

const phaseKey = z
  .string({ message: "Choose a phase." })
  .trim()
  .min(1, "Choose a phase.")
  .max(PLAN_EDIT_LIMITS.key, "Choose a phase.")
  .regex(KEY, "The phase key must be kebab-case (lowercase letters, digits and dashes).");

/** Lines of text (a textarea) or an array; blank lines dropped. */
const lines = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean)
    : v;

const dependsOn = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
  z.array(z.string().trim().min(1).max(PLAN_EDIT_LIMITS.key), {
    message: "List the task keys it depends on.",
  }),
);

const acceptanceCriteria = z.preprocess(
  lines,
  z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(
          PLAN_EDIT_LIMITS.criterion,
          `Keep each criterion under ${PLAN_EDIT_LIMITS.criterion} characters.`,
        ),
      { message: "List the acceptance criteria." },
    )
    .min(1, "Give at least one checkable acceptance criterion.")
    .max(
      PLAN_LIMITS.maxAcceptanceCriteria,
      `Keep at most ${PLAN_LIMITS.maxAcceptanceCriteria} acceptance criteria.`,
    ),
);

const priority = z.enum(TASK_PRIORITIES, { message: "Choose low, medium, high or critical." });
const worker = z.enum(["agent", "external"], { message: "Choose our agent or an external worker." });
const boolish = z.preprocess(
  (v) => (v === "on" || v === "true" ? true : v === "false" ? false : v),
  z.boolean(),
);

/** `addRunTask`: a new task; `key` is made from the title when absent, `phaseName` opens a new phase. */
export const addRunTaskSchema = z.object({
  key: z.preprocess((v) => (v === "" || v === null ? undefined : v), taskKeySchema.optional()),
  title,
  description,
  agentSlug,
  phaseKey,
  phaseName: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.string().trim().min(1).max(PLAN_EDIT_LIMITS.title).optional(),
  ),
  dependsOn: dependsOn.default([]),
  acceptanceCriteria,
  priority: priority.default("medium"),
  needsApproval: boolish.default(false),
  worker: worker.default("agent"),
});
export type AddRunTaskInput = z.input<typeof addRunTaskSchema>;

/** `updateRunTask`: any of the fields; the key never changes. */
export const updateRunTaskSchema = z
  .object({
    title: title.optional(),
    description: description.optional(),
    agentSlug: agentSlug.optional(),
    phaseKey: phaseKey.optional(),
    dependsOn: dependsOn.optional(),
    acceptanceCriteria: acceptanceCriteria.optional(),
    priority: priority.optional(),
    needsApproval: boolish.optional(),
    worker: worker.optional(),
  })
  .strict();
export type UpdateRunTaskPatch = z.input<typeof updateRunTaskSchema>;

/** `reorderRunTasks`: every unstarted task key of the run, or a subset, in the wanted order. */
export const reorderRunTasksSchema = z.object({
  keys: z
    .array(taskKeySchema, { message: "List the task keys in order." })
    .min(1, "List the task keys in order.")
    .max(PLAN_LIMITS.maxTasks * 2),
});
export type ReorderRunTasksInput = z.input<typeof reorderRunTasksSchema>;

const contextText = z
  .string({ message: "The context must be text." })
  .transform((s) => s.replace(/\r\n?/g, "\n"))
  .pipe(
    z
      .string()
      .max(
        PLAN_EDIT_LIMITS.context,
        `Keep the context under ${PLAN_EDIT_LIMITS.context.toLocaleString("en-US")} characters.`,
      ),
  );

/** `updateTaskContext` and `updateProjectContext`: the whole context text (replaces it). */
export const contextSchema = z.object({ context: contextText });
export type ContextInput = z.input<typeof contextSchema>;

const SHA = /^[0-9a-f]{7,40}$/;

/** `completeExternalTask`: what the external worker did, and the commit it pushed to the run branch. */
export const completeExternalTaskSchema = z.object({
  summary: z
    .string({ message: "Summarize what you did." })
    .trim()
    .min(1, "Summarize what you did.")
    .max(
      PLAN_EDIT_LIMITS.summary,
      `Keep the summary under ${PLAN_EDIT_LIMITS.summary.toLocaleString("en-US")} characters.`,
    ),
  commit: z.preprocess(
    (v) => (v === "" || v === null ? undefined : typeof v === "string" ? v.trim().toLowerCase() : v),
    z.string().regex(SHA, "The commit must be a hexadecimal sha (7 to 40 characters).").optional(),
  ),
});
export type CompleteExternalTaskInput = z.input<typeof completeExternalTaskSchema>;

/** The task board's server actions: which run (and task), and the verb's own input (validated by it). */
export const planEditActionSchema = z.object({
  runId: z.uuid({ message: "That is not a valid run id." }),
  taskKey: z.string().max(PLAN_EDIT_LIMITS.key).optional(),
  input: z.unknown().optional(),
});

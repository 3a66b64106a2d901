import { z } from "zod";
import { extractJson } from "@/lib/ai/extract-json";

export const TASK_PRIORITIES = ["low", "medium", "high", "critical"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/**
 * The orchestrator's structured output. Deliberately plain (no lengths, patterns or optional
 * fields) so providers with strict JSON-schema modes accept it; `validatePlan` enforces the rest
 * and phrases the problems so they can be sent back to the model.
 */
export const planTaskSchema = z.object({
  key: z.string().describe("Plan-local id in kebab-case, unique in the plan, e.g. `write-prd`."),
  title: z.string().describe("Imperative, specific title, e.g. `Write the product requirements document`."),
  description: z.string().describe("What to do and what to produce, with the context the agent needs."),
  agent: z.string().describe("Slug of the agent assigned to the task (one of the available agents)."),
  dependsOn: z.array(z.string()).describe("Keys of the tasks whose results this task needs; [] if none."),
  priority: z.enum(TASK_PRIORITIES),
  acceptanceCriteria: z
    .array(z.string())
    .describe("Checkable statements the reviewer verifies, e.g. `Lists at least five user stories`."),
  needsApproval: z
    .boolean()
    .describe("True when a person must approve the result before dependent tasks start."),
});

export const planPhaseSchema = z.object({
  key: z.string().describe("Phase id in kebab-case, e.g. `discovery`."),
  name: z.string(),
  tasks: z.array(planTaskSchema),
});

export const planSchema = z.object({
  summary: z.string().describe("Two or three sentences: the approach and why."),
  phases: z.array(planPhaseSchema),
});

export type PlanTask = z.infer<typeof planTaskSchema>;
export type PlanPhase = z.infer<typeof planPhaseSchema>;
export type Plan = z.infer<typeof planSchema>;

export const PLAN_LIMITS = { maxTasks: 40, maxAcceptanceCriteria: 12 } as const;

const KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type PlanErrorCode =
  | "not_json"
  | "invalid_shape"
  | "empty_plan"
  | "too_many_tasks"
  | "invalid_key"
  | "duplicate_key"
  | "duplicate_phase"
  | "empty_field"
  | "missing_acceptance_criteria"
  | "unknown_agent"
  | "unknown_dependency"
  | "self_dependency"
  | "dependency_cycle";

export type PlanError = {
  code: PlanErrorCode;
  /** Where in the plan, e.g. `phases[1].tasks[0].agent`. */
  path: string;
  message: string;
  taskKey?: string;
  /** For dependency cycles: the keys along the cycle, first key repeated at the end. */
  cycle?: string[];
};

export type PlanValidation =
  | { ok: true; plan: Plan }
  | {
      ok: false;
      errors: PlanError[];
      /** The errors as one message for the orchestrator, asking it to return the corrected plan. */
      feedback: string;
    };

/** A task with its phase and position, the shape the run stores. */
export type FlatPlanTask = PlanTask & { phaseKey: string; order: number };

export function flattenPlan(plan: Plan): FlatPlanTask[] {
  let order = 0;
  return plan.phases.flatMap((phase) =>
    phase.tasks.map((task) => ({ ...task, phaseKey: phase.key, order: order++ })),
  );
}

/**
 * Checks a plan the model returned: shape, keys, agents, dependencies (unknown, self, cycles).
 * Every problem is reported at once so a single re-ask can fix them all.
 */
export function validatePlan(input: unknown, availableAgentSlugs: Iterable<string>): PlanValidation {
  // A model without a JSON mode answers in text: the JSON is read from fences or prose if it is there.
  if (typeof input === "string") {
    const found = extractJson(input);
    if (!found.ok) {
      return fail([
        {
          code: "not_json",
          path: "",
          message:
            found.reason === "truncated"
              ? "Your answer was cut off before the JSON ended. Return the complete plan as one JSON object, shorter if need be."
              : "Your answer was text, not the JSON plan. Reply with only the JSON object (summary and phases with their tasks), no prose.",
        },
      ]);
    }
    input = found.value;
  }
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map(
      (issue): PlanError => ({
        code: "invalid_shape",
        path: formatPath(issue.path),
        message: `${formatPath(issue.path) || "plan"}: ${issue.message}`,
      }),
    );
    return fail(errors);
  }
  const plan = parsed.data;
  const agents = new Set(availableAgentSlugs);
  const errors: PlanError[] = [];

  const tasks = flattenPlan(plan);
  if (tasks.length === 0) {
    errors.push({
      code: "empty_plan",
      path: "phases",
      message: "The plan has no tasks. Add at least one task.",
    });
    return fail(errors);
  }
  if (tasks.length > PLAN_LIMITS.maxTasks) {
    errors.push({
      code: "too_many_tasks",
      path: "phases",
      message: `The plan has ${tasks.length} tasks; the limit is ${PLAN_LIMITS.maxTasks}. Merge related tasks.`,
    });
  }

  const phaseKeys = new Set<string>();
  plan.phases.forEach((phase, p) => {
    if (!KEY_PATTERN.test(phase.key)) {
      errors.push({
        code: "invalid_key",
        path: `phases[${p}].key`,
        message: `Phase key "${phase.key}" must be kebab-case (lowercase letters, digits and dashes).`,
      });
    }
    if (phaseKeys.has(phase.key)) {
      errors.push({
        code: "duplicate_phase",
        path: `phases[${p}].key`,
        message: `Phase key "${phase.key}" is used by more than one phase.`,
      });
    }
    phaseKeys.add(phase.key);
  });

  const keyCounts = new Map<string, number>();
  for (const task of tasks) keyCounts.set(task.key, (keyCounts.get(task.key) ?? 0) + 1);
  const reportedDuplicates = new Set<string>();

  plan.phases.forEach((phase, p) => {
    phase.tasks.forEach((task, t) => {
      const at = `phases[${p}].tasks[${t}]`;
      const name = `Task "${task.key}"`;
      if (!KEY_PATTERN.test(task.key)) {
        errors.push({
          code: "invalid_key",
          path: `${at}.key`,
          taskKey: task.key,
          message: `${name}: the key must be kebab-case (lowercase letters, digits and dashes), e.g. "write-prd".`,
        });
      }
      if ((keyCounts.get(task.key) ?? 0) > 1 && !reportedDuplicates.has(task.key)) {
        reportedDuplicates.add(task.key);
        errors.push({
          code: "duplicate_key",
          path: `${at}.key`,
          taskKey: task.key,
          message: `${name}: the key is used by ${keyCounts.get(task.key)} tasks; every task key must be unique.`,
        });
      }
      for (const field of ["title", "description"] as const) {
        if (!task[field].trim()) {
          errors.push({
            code: "empty_field",
            path: `${at}.${field}`,
            taskKey: task.key,
            message: `${name}: the ${field} is empty.`,
          });
        }
      }
      const criteria = task.acceptanceCriteria.filter((c) => c.trim());
      if (criteria.length === 0) {
        errors.push({
          code: "missing_acceptance_criteria",
          path: `${at}.acceptanceCriteria`,
          taskKey: task.key,
          message: `${name}: give at least one checkable acceptance criterion; the reviewer verifies the result against them.`,
        });
      } else if (criteria.length > PLAN_LIMITS.maxAcceptanceCriteria) {
        errors.push({
          code: "missing_acceptance_criteria",
          path: `${at}.acceptanceCriteria`,
          taskKey: task.key,
          message: `${name}: ${criteria.length} acceptance criteria; keep at most ${PLAN_LIMITS.maxAcceptanceCriteria}.`,
        });
      }
      if (!agents.has(task.agent)) {
        errors.push({
          code: "unknown_agent",
          path: `${at}.agent`,
          taskKey: task.key,
          message: `${name}: unknown agent "${task.agent}". Use one of: ${[...agents].sort().join(", ")}.`,
        });
      }
      task.dependsOn.forEach((dep, d) => {
        if (dep === task.key) {
          errors.push({
            code: "self_dependency",
            path: `${at}.dependsOn[${d}]`,
            taskKey: task.key,
            message: `${name} depends on itself. Remove "${dep}" from its dependsOn.`,
          });
        } else if (!keyCounts.has(dep)) {
          errors.push({
            code: "unknown_dependency",
            path: `${at}.dependsOn[${d}]`,
            taskKey: task.key,
            message: `${name} depends on "${dep}", which is not a task in this plan.`,
          });
        }
      });
    });
  });

  for (const cycle of findCycles(tasks)) {
    errors.push({
      code: "dependency_cycle",
      path: "phases",
      taskKey: cycle[0],
      cycle,
      message: `Dependency cycle: ${cycle.join(" → ")} (each task depends on the next). Remove one of these dependencies so the tasks can run in order.`,
    });
  }

  return errors.length ? fail(errors) : { ok: true, plan };
}

function fail(errors: PlanError[]): PlanValidation {
  return { ok: false, errors, feedback: planFeedback(errors) };
}

/** The message sent back to the orchestrator when its plan is rejected. */
export function planFeedback(errors: PlanError[]): string {
  return [
    `Your plan was rejected (${errors.length} problem${errors.length === 1 ? "" : "s"}). Fix every problem below and return the complete corrected plan in the same JSON format:`,
    ...errors.map((e) => `- ${e.message}`),
  ].join("\n");
}

/**
 * Dependency cycles found by a depth-first search: at least one for every group of tasks that wait
 * on each other in a loop. Each is reported once, rotated to start at its smallest key and closed,
 * e.g. ["a", "b", "c", "a"] meaning a depends on b, b on c, c on a. Self-loops are reported as
 * `self_dependency` instead; unknown keys are ignored here.
 */
export function findCycles(tasks: { key: string; dependsOn: string[] }[]): string[][] {
  const deps = new Map<string, string[]>();
  for (const task of tasks) {
    if (!deps.has(task.key)) deps.set(task.key, []);
    deps.get(task.key)?.push(...task.dependsOn.filter((d) => d !== task.key));
  }
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];

  const visit = (key: string) => {
    state.set(key, "visiting");
    stack.push(key);
    for (const dep of deps.get(key) ?? []) {
      if (!deps.has(dep)) continue;
      const depState = state.get(dep);
      if (depState === "visiting") {
        const loop = stack.slice(stack.indexOf(dep));
        const start = loop.indexOf([...loop].sort()[0] as string);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        const id = rotated.join("\u0000");
        if (!seen.has(id)) {
          seen.add(id);
          cycles.push([...rotated, rotated[0] as string]);
        }
      } else if (depState === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(key, "done");
  };

  for (const key of deps.keys()) if (!state.has(key)) visit(key);
  return cycles;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === "number") return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, "");
}

/**
 * Approval gates a template requires: every task whose result leaves a gated phase (a task in
 * another phase depends on it, or no task does) is marked `needsApproval`, whatever the model said,
 * so nothing built on that phase starts before a person approves it.
 */
export function applyApprovalGates(plan: Plan, gatedPhaseKeys: readonly string[]): Plan {
  const gated = new Set(gatedPhaseKeys);
  const dependents = new Map<string, Set<string>>();
  for (const phase of plan.phases) {
    for (const task of phase.tasks) {
      for (const dep of task.dependsOn) {
        if (!dependents.has(dep)) dependents.set(dep, new Set());
        dependents.get(dep)?.add(phase.key);
      }
    }
  }
  return {
    ...plan,
    phases: plan.phases.map((phase) => {
      if (!gated.has(phase.key)) return phase;
      return {
        ...phase,
        tasks: phase.tasks.map((task) => {
          const phases = dependents.get(task.key);
          const leavesPhase = !phases || [...phases].some((p) => p !== phase.key);
          return leavesPhase ? { ...task, needsApproval: true } : task;
        }),
      };
    }),
  };
}

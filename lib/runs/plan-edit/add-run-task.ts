import "server-only";
import { runTasks } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { slugify } from "@/lib/projects/slug";
import type { TaskSnapshot } from "@/lib/runs/events";
import { taskSnapshot } from "@/lib/runs/execute/tools";
import { type AddRunTaskInput, addRunTaskSchema, PLAN_EDIT_LIMITS } from "./schemas";
import {
  asDraft,
  assertValidPlan,
  assignableAgents,
  nudgeRun,
  type PlanPhaseRef,
  pinAgent,
  recordPlanEdit,
  withPlanEdit,
} from "./shared";

/** A key for a new task made from its title, unique in the run (`write-docs`, `write-docs-2`…). */
export function keyFromTitle(title: string, taken: Set<string>): string {
  const base =
    slugify(title)
      .slice(0, PLAN_EDIT_LIMITS.key - 4)
      .replace(/-+$/, "") || "task";
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Adds a task to a run's plan, at its end, validated like the orchestrator's plan (agent,
 * dependencies, cycles, limits). Its phase is an existing one, or a new one when `phaseName` is
 * given. The scheduling loop reads the tasks every round, so the run picks it up when it is ready.
 */
export async function addRunTask(
  ctx: OrgContext,
  runId: string,
  input: AddRunTaskInput,
): Promise<TaskSnapshot> {
  const data = parseWith(addRunTaskSchema, input);
  const result = await withPlanEdit(ctx, runId, async (session) => {
    // Every task done: the run is wrapping up (its scheduler decided it is finished), so a task
    // added now would never start. Edits and the scheduler hold the same lock: no gap between them.
    if (session.tasks.every((t) => t.status === "done" || t.status === "cancelled")) {
      throw new AppError(
        "conflict",
        "Every task of this run is done and it is finishing; start a new run for more work.",
      );
    }
    const taken = new Set(session.tasks.map((t) => t.key));
    const key = data.key ?? keyFromTitle(data.title, taken);
    if (taken.has(key)) {
      throw new AppError("validation", `The run already has a task "${key}".`, {
        fieldErrors: { key: [`The run already has a task "${key}"; choose another key.`] },
      });
    }
    let phases: PlanPhaseRef[] | undefined;
    if (!session.phases.some((p) => p.key === data.phaseKey)) {
      if (!data.phaseName) {
        throw new AppError("validation", `The run has no phase "${data.phaseKey}".`, {
          fieldErrors: {
            phaseKey: [`The run has no phase "${data.phaseKey}": choose one, or give a name to open it.`],
          },
        });
      }
      phases = [...session.phases, { key: data.phaseKey, title: data.phaseName }];
    }
    const position = Math.max(-1, ...session.tasks.map((t) => t.position)) + 1;
    const draft = {
      key,
      title: data.title,
      description: data.description,
      agentSlug: data.agentSlug,
      phaseKey: data.phaseKey,
      dependsOn: [...new Set(data.dependsOn)],
      acceptanceCriteria: data.acceptanceCriteria,
      priority: data.priority,
      needsApproval: data.needsApproval,
      position,
    };
    const agents = await assignableAgents(session.tx, ctx.org.id);
    assertValidPlan([...session.tasks.map(asDraft), draft], [key], agents.keys(), phases ?? session.phases);
    const [row] = await session.tx
      .insert(runTasks)
      .values({ ...draft, orgId: ctx.org.id, runId: session.run.id, worker: data.worker })
      .returning();
    if (!row) throw new Error("task insert returned no row");
    await pinAgent(session, agents, row.agentSlug);
    await recordPlanEdit(ctx, session, {
      op: "add",
      taskKey: key,
      tasks: [row],
      phases,
      metadata: { worker: row.worker, agent: row.agentSlug },
    });
    return taskSnapshot(row);
  });
  await nudgeRun({ orgId: ctx.org.id, runId: runId.toLowerCase() });
  return result;
}

import { and, eq } from "drizzle-orm";
import { runs, runTasks } from "@/db/schema";
import { ORCHESTRATOR_SLUG, REVIEWER_SLUG } from "@/lib/agents/catalog";
import { assembleContext } from "@/lib/runs/context";
import { appendRunEvents } from "@/lib/runs/event-log";
import { flattenPlan, type Plan, planSchema, validatePlan } from "@/lib/runs/plan";
import { applyTemplateGates } from "@/lib/runs/templates";
import { generateStructured } from "./agent-call";
import { toRunFailure } from "./failure";
import { relevantKnowledge } from "./knowledge-context";
import { once, type StepKey, storedResult } from "./once";
import { runRepositoryMap } from "./repo-context";
import { agentOf, baseContext, loadEnvironment, loadTasks } from "./state";
import { taskSnapshot } from "./tools";
import { BudgetExhaustedError, type ModelResolver, RunCancelledError, type RunScope } from "./types";

export type PlanAttempt = { ok: true; plan: Plan } | { ok: false; feedback: string; rejected: unknown };

/**
 * One planning call of the orchestrator. On a re-ask, the rejected plan and the validation
 * feedback follow the original prompt so the model fixes exactly those problems.
 */
export async function planAttempt(
  scope: RunScope,
  resolve: ModelResolver,
  previous: { rejected: unknown; feedback: string }[],
  key: StepKey,
): Promise<PlanAttempt> {
  const stored = await storedResult<PlanAttempt>(scope, key);
  if (stored) return stored.result;
  const env = await loadEnvironment(scope);
  const orchestrator = agentOf(env, ORCHESTRATOR_SLUG).definition;
  const assignable = [...env.catalog.values()]
    .map((a) => a.definition)
    .filter((a) => a.slug !== ORCHESTRATOR_SLUG && a.slug !== REVIEWER_SLUG);
  const ctx = assembleContext({
    purpose: "plan",
    agent: orchestrator,
    ...baseContext(env, []),
    repository: await runRepositoryMap(scope),
    knowledge: await relevantKnowledge(scope, env.project.id, env.run.goal),
    roster: assignable.map((a) => ({ slug: a.slug, name: a.name, whenToUse: a.whenToUse })),
  });
  const messages = [
    ...ctx.messages,
    ...previous.flatMap((p) => [
      { role: "assistant" as const, content: JSON.stringify(p.rejected) },
      { role: "user" as const, content: p.feedback },
    ]),
  ];
  const model = await resolve(scope.orgId, orchestrator.modelTier, orchestrator);
  let output: unknown;
  try {
    output = await generateStructured(
      { scope, taskId: null, agentSlug: ORCHESTRATOR_SLUG, model, key },
      { instructions: ctx.instructions, messages },
      planSchema,
    );
  } catch (error) {
    if (error instanceof BudgetExhaustedError || error instanceof RunCancelledError) throw error;
    throw toRunFailure(error);
  }
  const validation = validatePlan(
    output,
    assignable.map((a) => a.slug),
  );
  const result: PlanAttempt = validation.ok
    ? { ok: true, plan: validation.plan }
    : { ok: false, feedback: validation.feedback, rejected: output ?? null };
  return once(scope, key, async () => result);
}

/** Stores the validated plan (template gates applied) as tasks, with the `run.plan` event. */
export async function storePlan(scope: RunScope, plan: Plan, key: StepKey): Promise<number> {
  const env = await loadEnvironment(scope);
  const gated = applyTemplateGates(plan, env.template);
  const flat = flattenPlan(gated);
  return once(scope, key, async (tx) => {
    // Planning is idempotent: a retried step finds the tasks of its first try.
    const existing = await loadTasks(tx, scope);
    if (existing.length) return existing.length;
    const rows = await tx
      .insert(runTasks)
      .values(
        flat.map((t) => ({
          orgId: scope.orgId,
          runId: scope.runId,
          key: t.key,
          phaseKey: t.phaseKey,
          title: t.title,
          description: t.description,
          agentSlug: t.agent,
          priority: t.priority,
          dependsOn: t.dependsOn,
          acceptanceCriteria: t.acceptanceCriteria.filter((c) => c.trim()),
          needsApproval: t.needsApproval,
          position: t.order,
        })),
      )
      .returning();
    const used: Record<string, number> = { ...env.run.agentVersions };
    // Pinned here for the rest of the run (loadEnvironment loads these versions in every step).
    for (const slug of [ORCHESTRATOR_SLUG, REVIEWER_SLUG, ...flat.map((t) => t.agent)]) {
      used[slug] ??= env.catalog.get(slug)?.version ?? 0;
    }
    await tx
      .update(runs)
      .set({ agentVersions: used, status: "running" })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    await appendRunEvents(tx, scope, [
      {
        type: "run.plan",
        phases: gated.phases.map((p) => ({ key: p.key, title: p.name })),
        tasks: rows.sort((a, b) => a.position - b.position).map(taskSnapshot),
      },
      { type: "run.status", status: "running" },
    ]);
    return rows.length;
  });
}

import { and, eq, sql } from "drizzle-orm";
import { withTenant } from "@/db";
import { modelCalls, runs } from "@/db/schema";
import { costOfUsage } from "@/lib/ai/pricing";
import { appendRunEvents } from "@/lib/runs/event-log";
import { BudgetExhaustedError, RunCancelledError, type RunScope } from "./types";

/** Refuses a model call when the run's tokens are spent, or the run was cancelled meanwhile. */
export async function assertCanCallModel(scope: RunScope): Promise<void> {
  const [run] = await withTenant({ orgId: scope.orgId }, (tx) =>
    tx
      .select({
        status: runs.status,
        used: sql<number>`(${runs.inputTokens} + ${runs.outputTokens})::int`,
        budget: runs.tokenBudget,
      })
      .from(runs)
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId))),
  );
  if (!run || run.status === "cancelled") throw new RunCancelledError();
  if (Number(run.used) >= run.budget) throw new BudgetExhaustedError(Number(run.used), run.budget);
}

export type ModelCallRecord = {
  taskId: string | null;
  agentSlug: string;
  provider: string;
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
};

/**
 * One row per model call, summed on the run, and a `usage` event, in one transaction. `id` is
 * derived from the step and the call's place in it: a re-executed step records each call once.
 */
export async function recordModelCall(scope: RunScope, id: string, call: ModelCallRecord): Promise<void> {
  const cost = costOfUsage(call.modelId, { inputTokens: call.inputTokens, outputTokens: call.outputTokens });
  await withTenant({ orgId: scope.orgId }, async (tx) => {
    const inserted = await tx
      .insert(modelCalls)
      .values({
        id,
        orgId: scope.orgId,
        runId: scope.runId,
        taskId: call.taskId,
        agentSlug: call.agentSlug,
        provider: call.provider,
        modelId: call.modelId,
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens,
        costUsd: cost.usd,
        latencyMs: Math.round(call.latencyMs),
      })
      .onConflictDoNothing()
      .returning({ id: modelCalls.id });
    if (!inserted.length) return;
    await tx
      .update(runs)
      .set({
        inputTokens: sql`${runs.inputTokens} + ${call.inputTokens}`,
        outputTokens: sql`${runs.outputTokens} + ${call.outputTokens}`,
        costUsd: sql`${runs.costUsd} + ${cost.usd}`,
      })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    await appendRunEvents(tx, scope, [
      {
        type: "usage",
        taskId: call.taskId,
        agentSlug: call.agentSlug,
        modelId: call.modelId,
        latencyMs: Math.round(call.latencyMs),
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens,
        costUsd: cost.usd,
      },
    ]);
  });
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { orgAiSettings, runs } from "@/db/schema";
import { describeRunModel } from "@/lib/ai/org-settings";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import { runBranchName } from "@/lib/repos/branch-name";
import { nextRunNumber } from "@/lib/runs/next-run-number";
import { appendRunEvents } from "./event-log";
import { requestRun } from "./requests";
import { FALLBACK_TOKEN_BUDGET, type StartRunBody } from "./schemas";

/**
 * Starts a run in an active project: stores it as `queued` with the model it will use (so demo
 * output is labelled from the first event), then asks the run function to pick it up.
 */
export async function startRun(
  ctx: OrgContext,
  projectSlug: string,
  input: StartRunBody,
): Promise<{
  id: string;
  status: "queued";
  tokenBudget: number;
  usesDemoModel: boolean;
  modelLabel: string;
}> {
  const model = await describeRunModel(ctx.org.id);
  const run = await ctx.tx(async (tx) => {
    const project = await findProjectRow(tx, ctx.org.id, projectSlug);
    if (project.status !== "active") {
      throw new AppError("conflict", "This project is archived. Restore it before starting a run.");
    }
    const [settings] = await tx
      .select({ defaultTokenBudget: orgAiSettings.defaultTokenBudget })
      .from(orgAiSettings)
      .where(eq(orgAiSettings.orgId, ctx.org.id))
      .limit(1);
    const tokenBudget = input.tokenBudget ?? settings?.defaultTokenBudget ?? FALLBACK_TOKEN_BUDGET;
    const number = await nextRunNumber(tx, ctx.org.id, project.id);
    const [row] = await tx
      .insert(runs)
      .values({
        orgId: ctx.org.id,
        projectId: project.id,
        goal: input.goal,
        number,
        branch: runBranchName(number, input.goal),
        templateSlug: input.template,
        status: "queued",
        tokenBudget,
        usesDemoModel: model.usesDemoModel,
        modelLabel: model.modelLabel,
        startedById: ctx.user.id,
        reviewPlan: input.reviewPlan ?? false,
        startedByApiKeyId: ctx.apiKey?.id ?? null,
      })
      .returning();
    if (!row) throw new Error("run insert returned no row");
    await appendRunEvents(tx, { orgId: ctx.org.id, runId: row.id }, [
      { type: "run.status", status: "queued" },
    ]);
    await ctx.audit(tx, {
      action: "run.start",
      target: { type: "run", id: row.id },
      metadata: {
        project: project.slug,
        template: input.template,
        tokenBudget,
        ...(input.reviewPlan ? { reviewPlan: true } : {}),
      },
    });
    return row;
  });
  await requestOrFail({ orgId: ctx.org.id, runId: run.id });
  return {
    id: run.id,
    status: "queued",
    tokenBudget: run.tokenBudget,
    usesDemoModel: model.usesDemoModel,
    modelLabel: model.modelLabel,
  };
}

/**
 * Asks the run function to (re)start the run. If the request cannot be delivered the run would
 * sit queued forever, so it is marked failed with the reason instead and the caller told.
 */
export async function requestOrFail(scope: { orgId: string; runId: string }): Promise<void> {
  try {
    await requestRun(scope);
  } catch (error) {
    console.error("[runs] could not request the run", error);
    const reason = "The run could not be queued. Try again in a moment.";
    await withTenant({ orgId: scope.orgId }, async (tx) => {
      await tx
        .update(runs)
        .set({ status: "failed", statusReason: reason, finishedAt: new Date() })
        .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
      await appendRunEvents(tx, scope, [{ type: "run.status", status: "failed", reason }]);
    });
    throw new AppError("internal", reason);
  }
}

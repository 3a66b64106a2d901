import "server-only";
import { and, eq } from "drizzle-orm";
import { runs } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { planApproved } from "@/inngest/events";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { appendRunEvents } from "@/lib/runs/event-log";
import { actorName, withPlanEdit } from "./shared";

/** Tells a run waiting on its plan review that it is approved (also re-sent by the run's own poll). */
export async function announcePlanApproved(
  client: { send: (e: ReturnType<typeof planApproved.create>) => Promise<unknown> },
  scope: { orgId: string; runId: string },
  id = `plan-approved:${scope.runId}`,
): Promise<void> {
  await client.send(planApproved.create(scope, { id }));
}

/**
 * Approves the plan of a run started with "review the plan first": the run, paused after
 * planning, starts working. Stored first (the run's poll finds it even if the event is lost),
 * then the event wakes the waiting run.
 */
export async function approveRunPlan(
  ctx: OrgContext,
  runId: string,
): Promise<{ runId: string; planApprovedAt: string }> {
  const approved = await withPlanEdit(ctx, runId, async (session) => {
    const { run, tx, scope } = session;
    if (!run.reviewPlan) {
      throw new AppError("conflict", "This run was not started with a plan review; it works without one.");
    }
    if (run.planApprovedAt) throw new AppError("conflict", "This run's plan is already approved.");
    const now = new Date();
    await tx
      .update(runs)
      .set({ planApprovedAt: now, planApprovedById: ctx.user.id })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, run.id)));
    await appendRunEvents(tx, scope, [{ type: "plan.approved", by: actorName(ctx) }]);
    await ctx.audit(tx, {
      action: "plan.approve",
      target: { type: "run", id: run.id },
      metadata: { tasks: session.tasks.length },
    });
    return { runId: run.id, planApprovedAt: now.toISOString() };
  });
  await announcePlanApproved(inngest, { orgId: ctx.org.id, runId: approved.runId }).catch((error) =>
    console.error("[plan-review] approval event not sent; the run's poll sees the approval", error),
  );
  return approved;
}

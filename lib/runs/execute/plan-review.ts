import { and, eq, inArray } from "drizzle-orm";
import { runs } from "@/db/schema";
import { appendRunEvents } from "@/lib/runs/event-log";
import { once, type StepKey } from "./once";
import { inTenant, loadRun } from "./state";
import type { RunScope } from "./types";

/**
 * "Review the plan first": a run started with `reviewPlan` stops after planning — waiting on a
 * person, so it frees its slot — until a member approves the plan (`approveRunPlan`), during which
 * the plan can be changed on the task board.
 */

export const PLAN_REVIEW_REASON = "Waiting for a member to review the plan and start the run.";

/** Puts the run on hold for its plan review, if it asked for one that is not given yet. */
export async function holdForPlanReview(scope: RunScope, key: StepKey): Promise<{ needed: boolean }> {
  return once(scope, key, async (tx) => {
    const run = await loadRun(tx, scope);
    if (!run?.reviewPlan || run.planApprovedAt) return { needed: false };
    const changed = await tx
      .update(runs)
      .set({ status: "waiting_approval", statusReason: PLAN_REVIEW_REASON })
      .where(
        and(
          eq(runs.orgId, scope.orgId),
          eq(runs.id, scope.runId),
          inArray(runs.status, ["running", "planning"]),
        ),
      )
      .returning({ id: runs.id });
    if (changed.length) {
      await appendRunEvents(tx, scope, [
        { type: "run.status", status: "waiting_approval", reason: PLAN_REVIEW_REASON },
      ]);
    }
    return { needed: true };
  });
}

export type PlanReviewState = { approved: boolean; cancelled: boolean };

export async function planReviewState(scope: RunScope): Promise<PlanReviewState> {
  const run = await inTenant(scope, (tx) => loadRun(tx, scope));
  return { approved: Boolean(run?.planApprovedAt), cancelled: !run || run.status === "cancelled" };
}

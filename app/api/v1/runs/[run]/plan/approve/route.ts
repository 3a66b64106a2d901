import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { approveRunPlan } from "@/lib/runs/plan-edit";

export const POST = v1Route(operations.approveRunPlan, async ({ ctx, params }) => {
  const approved = await approveRunPlan(ctx, params.run ?? "");
  return { run: { id: approved.runId, planApprovedAt: approved.planApprovedAt } };
});

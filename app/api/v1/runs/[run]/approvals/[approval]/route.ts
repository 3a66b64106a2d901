import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { decideApproval } from "@/lib/runs/decide-approval";

export const POST = v1Route(operations.decideApproval, async ({ ctx, params, body }) => ({
  approval: await decideApproval(ctx, params.run ?? "", params.approval ?? "", {
    decision: body.decision === "approve" ? "approved" : "rejected",
    comment: body.comment,
  }),
}));

import { orgRoute } from "@/lib/api/route";
import { decideApproval } from "@/lib/runs/decide-approval";
import { decideApprovalBodySchema } from "@/lib/runs/schemas";

/** `{ decision: "approved" | "rejected", comment }` — a comment is required to reject. */
export const POST = orgRoute(
  { permission: "runs.approve", body: decideApprovalBodySchema },
  async ({ ctx, params, body }) => ({
    approval: await decideApproval(ctx, params.run ?? "", params.approval ?? "", body),
  }),
);

import "server-only";
import { and, eq } from "drizzle-orm";
import { approvals } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { AppError, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { announceApprovalDecision, queueApprovalDecision } from "./approval-outbox";
import { appendRunEvents } from "./event-log";
import { FINAL_RUN_STATUSES } from "./events";
import { findRunRow } from "./queries";
import { type DecideApprovalBody, isUuid } from "./schemas";

/**
 * Approves or rejects a pending approval. The decision is stored, logged and queued in the outbox
 * first, then the waiting run function is told, so a page reload never shows a gate that was
 * already decided and a crash before the send cannot lose the decision.
 */
export async function decideApproval(
  ctx: OrgContext,
  runId: string,
  approvalId: string,
  input: DecideApprovalBody,
): Promise<{ id: string; status: "approved" | "rejected" }> {
  const comment = input.comment;
  await ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId, { forUpdate: true });
    const [approval] = isUuid(approvalId)
      ? await tx
          .select()
          .from(approvals)
          .where(
            and(eq(approvals.orgId, ctx.org.id), eq(approvals.runId, run.id), eq(approvals.id, approvalId)),
          )
          .limit(1)
          .for("update")
      : [];
    if (!approval) throw notFound("Approval not found.");
    if (approval.status !== "pending") {
      throw new AppError("conflict", "This approval has already been decided.");
    }
    if (FINAL_RUN_STATUSES.includes(run.status)) {
      throw new AppError("conflict", "This run has finished; its approvals can no longer be decided.");
    }
    const now = new Date();
    if (approval.expiresAt && approval.expiresAt <= now) {
      throw new AppError("conflict", "This approval has expired.");
    }
    await tx
      .update(approvals)
      .set({ status: input.decision, comment: comment || null, decidedById: ctx.user.id, decidedAt: now })
      .where(and(eq(approvals.orgId, ctx.org.id), eq(approvals.id, approval.id)));
    await appendRunEvents(tx, { orgId: ctx.org.id, runId: run.id }, [
      {
        type: "approval.resolved",
        approvalId: approval.id,
        decision: input.decision,
        comment: comment || null,
        decidedBy: ctx.user.name || ctx.user.email,
      },
    ]);
    await queueApprovalDecision(tx, { orgId: ctx.org.id, runId: run.id }, approval.id);
    await ctx.audit(tx, {
      action: "approval.decide",
      target: { type: "approval", id: approval.id },
      metadata: { runId: run.id, title: approval.title, decision: input.decision, comment: comment || null },
    });
  });
  // After commit; if this process dies first, the outbox sweeper sends it.
  await announceApprovalDecision(inngest, { orgId: ctx.org.id, runId }, approvalId).catch((error) =>
    console.error("[approvals] decision event not sent; the outbox sweeper re-sends it", error),
  );
  return { id: approvalId, status: input.decision };
}

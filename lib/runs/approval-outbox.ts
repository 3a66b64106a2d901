import { and, eq, isNull, lt } from "drizzle-orm";
import type { Inngest } from "inngest";
import { getDb, type Tx, withTenant } from "@/db";
import { approvalOutbox, approvals } from "@/db/schema";
import { approvalDecided } from "@/inngest/events";

/**
 * The outbox of approval decisions: the deciding transaction queues the approval, the event goes
 * out after commit with a stable id (`approval-decided:<approvalId>`, so a re-send is deduped), and
 * a sweeper re-sends what a crash between commit and send left unsent.
 */

type Scope = { orgId: string; runId: string };

/** Queues the decision's event in the deciding transaction. */
export async function queueApprovalDecision(tx: Tx, scope: Scope, approvalId: string): Promise<void> {
  await tx
    .insert(approvalOutbox)
    .values({ approvalId, orgId: scope.orgId, runId: scope.runId })
    .onConflictDoNothing();
}

/** Sends the decided approval's event and marks its outbox row sent. */
export async function announceApprovalDecision(
  client: Inngest.Any,
  scope: Scope,
  approvalId: string,
  id = `approval-decided:${approvalId}`,
): Promise<boolean> {
  const [row] = await withTenant({ orgId: scope.orgId }, (tx) =>
    tx
      .select({ status: approvals.status, comment: approvals.comment })
      .from(approvals)
      .where(
        and(eq(approvals.orgId, scope.orgId), eq(approvals.runId, scope.runId), eq(approvals.id, approvalId)),
      ),
  );
  if (!row || (row.status !== "approved" && row.status !== "rejected")) return false;
  await client.send(
    approvalDecided.create(
      { ...scope, approvalId, decision: row.status, comment: row.comment || null },
      { id },
    ),
  );
  await withTenant({ orgId: scope.orgId }, (tx) =>
    tx
      .update(approvalOutbox)
      .set({ sentAt: new Date() })
      .where(and(eq(approvalOutbox.orgId, scope.orgId), eq(approvalOutbox.approvalId, approvalId))),
  );
  return true;
}

/**
 * Re-sends decisions queued more than `olderThanMs` ago and still unsent. It reads every
 * organization's outbox (a system job, on the owner connection); each send is scoped again.
 */
export async function sweepApprovalOutbox(client: Inngest.Any, olderThanMs = 5_000): Promise<number> {
  const db = await getDb();
  const unsent = await db
    .select({
      approvalId: approvalOutbox.approvalId,
      orgId: approvalOutbox.orgId,
      runId: approvalOutbox.runId,
    })
    .from(approvalOutbox)
    .where(
      and(isNull(approvalOutbox.sentAt), lt(approvalOutbox.createdAt, new Date(Date.now() - olderThanMs))),
    )
    .limit(500);
  for (const row of unsent) {
    await announceApprovalDecision(client, { orgId: row.orgId, runId: row.runId }, row.approvalId);
  }
  return unsent.length;
}

import { and, eq } from "drizzle-orm";
import { invitations } from "@/db/schema";
import { canGrant } from "@/lib/auth/permissions";
import { newToken } from "@/lib/crypto";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import type { SentInvitation } from "./create-invitation";
import { findInvitationForUpdate, publicColumns } from "./invitation";
import { INVITATION_TTL_MS, type InvitationIdInput } from "./schemas";
import { deliverInvitation } from "./send-invitation-mail";

/** Sends a fresh link: a new token (the old link stops working) and a new 7-day expiry. */
export async function resendInvitation(ctx: OrgContext, input: InvitationIdInput): Promise<SentInvitation> {
  if (!ctx.can("members.invite")) throw forbidden();
  const { token, hash } = newToken();
  const row = await ctx.tx(async (tx) => {
    const current = await findInvitationForUpdate(tx, ctx.org.id, input.id);
    if (!current) throw notFound("Invitation not found.");
    if (current.acceptedAt) throw new AppError("conflict", "This invitation has already been accepted.");
    if (current.revokedAt) throw new AppError("conflict", "This invitation was revoked. Send a new one.");
    if (!canGrant(ctx.role, current.role)) {
      throw forbidden("You cannot resend an invitation for a role above your own.");
    }
    const now = new Date();
    const [updated] = await tx
      .update(invitations)
      .set({ tokenHash: hash, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS), lastSentAt: now })
      .where(and(eq(invitations.orgId, ctx.org.id), eq(invitations.id, current.id)))
      .returning(publicColumns);
    if (!updated) throw notFound("Invitation not found.");
    await ctx.audit(tx, {
      action: "invitation.resend",
      target: { type: "invitation", id: current.id },
      metadata: { email: current.email, role: current.role },
    });
    return updated;
  });
  return deliverInvitation(ctx, row, token);
}

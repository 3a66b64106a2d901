import { and, eq } from "drizzle-orm";
import { invitations } from "@/db/schema";
import { canGrant } from "@/lib/auth/permissions";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findInvitationForUpdate, type PublicInvitation, publicColumns, toPublic } from "./invitation";
import type { InvitationIdInput } from "./schemas";

/** Revokes a pending invitation so its link stops working. */
export async function revokeInvitation(ctx: OrgContext, input: InvitationIdInput): Promise<PublicInvitation> {
  if (!ctx.can("members.invite")) throw forbidden();
  return ctx.tx(async (tx) => {
    const current = await findInvitationForUpdate(tx, ctx.org.id, input.id);
    if (!current) throw notFound("Invitation not found.");
    if (current.acceptedAt) throw new AppError("conflict", "This invitation has already been accepted.");
    if (current.revokedAt) throw new AppError("conflict", "This invitation was already revoked.");
    if (!canGrant(ctx.role, current.role)) {
      throw forbidden("You cannot revoke an invitation for a role above your own.");
    }
    const [updated] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.orgId, ctx.org.id), eq(invitations.id, current.id)))
      .returning(publicColumns);
    if (!updated) throw notFound("Invitation not found.");
    await ctx.audit(tx, {
      action: "invitation.revoke",
      target: { type: "invitation", id: current.id },
      metadata: { email: current.email, role: current.role },
    });
    return toPublic(updated);
  });
}

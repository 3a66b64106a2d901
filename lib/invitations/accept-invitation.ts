import { and, eq, gt, isNull } from "drizzle-orm";
import { withTenant } from "@/db";
import { invitations, membershipRemovals, memberships } from "@/db/schema";
import { writeAudit } from "@/lib/audit/log";
import type { SessionUser } from "@/lib/auth/session";
import { hashToken } from "@/lib/crypto";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { findInvitationByToken, type InvitationPreview } from "./find-invitation-by-token";
import type { AcceptInvitationInput } from "./schemas";

export const INVITATION_UNUSABLE: Record<Exclude<InvitationPreview["status"], "pending">, string> = {
  expired: "This invitation has expired. Ask an admin of the organization to send a new one.",
  revoked: "This invitation was revoked. Ask an admin of the organization for a new one.",
  accepted: "This invitation has already been used.",
};

export function emailMismatchMessage(invitedEmail: string, signedInEmail: string): string {
  return `This invitation was sent to ${invitedEmail}, but you are signed in as ${signedInEmail}. Sign in with the invited email to accept it.`;
}

/**
 * The signed-in user accepts an invitation sent to their email. The token is consumed by a
 * conditional update in the organization's scope, so it works exactly once even under a race.
 */
export async function acceptInvitation(
  user: SessionUser,
  meta: RequestMeta,
  input: AcceptInvitationInput,
): Promise<{ org: { name: string; slug: string }; alreadyMember: boolean }> {
  const invitation = await findInvitationByToken(input.token);
  if (!invitation) throw notFound("This invitation link is not valid.");
  if (invitation.status !== "pending") throw new AppError("conflict", INVITATION_UNUSABLE[invitation.status]);
  if (invitation.email.toLowerCase() !== user.email.toLowerCase()) {
    throw forbidden(emailMismatchMessage(invitation.email, user.email));
  }
  return withTenant({ orgId: invitation.orgId, userId: user.id }, async (tx) => {
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(
        and(
          eq(invitations.orgId, invitation.orgId),
          eq(invitations.id, invitation.id),
          eq(invitations.tokenHash, hashToken(input.token)),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      )
      .returning({ id: invitations.id });
    if (!claimed) throw new AppError("conflict", "This invitation is no longer valid.");
    const [membership] = await tx
      .insert(memberships)
      .values({ orgId: invitation.orgId, userId: user.id, role: invitation.role })
      .onConflictDoNothing()
      .returning({ id: memberships.id });
    // An admin invited them back: an earlier removal no longer keeps SSO from admitting them.
    await tx
      .delete(membershipRemovals)
      .where(and(eq(membershipRemovals.orgId, invitation.orgId), eq(membershipRemovals.userId, user.id)));
    const actor = { id: user.id, email: user.email };
    await writeAudit(tx, {
      orgId: invitation.orgId,
      actor,
      action: "invitation.accept",
      target: { type: "invitation", id: invitation.id },
      metadata: { email: invitation.email, role: invitation.role },
      meta,
    });
    if (membership) {
      await writeAudit(tx, {
        orgId: invitation.orgId,
        actor,
        action: "member.join",
        target: { type: "membership", id: membership.id },
        metadata: { userId: user.id, email: user.email, role: invitation.role, via: "invitation" },
        meta,
      });
    }
    return { org: { name: invitation.orgName, slug: invitation.orgSlug }, alreadyMember: !membership };
  });
}

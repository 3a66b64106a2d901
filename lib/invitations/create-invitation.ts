import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { invitations, memberships, users } from "@/db/schema";
import { canGrant } from "@/lib/auth/permissions";
import { newToken } from "@/lib/crypto";
import { AppError, forbidden } from "@/lib/errors";
import { lockMemberships } from "@/lib/members/membership";
import type { OrgContext } from "@/lib/orgs/context";
import { type PublicInvitation, publicColumns } from "./invitation";
import { type CreateInvitationInput, INVITATION_TTL_MS } from "./schemas";
import { deliverInvitation } from "./send-invitation-mail";

export type SentInvitation = { invitation: PublicInvitation; inviteUrl: string; emailSent: boolean };

/** Invites an email address with a role (never above the inviter's own) and mails the link. */
export async function createInvitation(
  ctx: OrgContext,
  input: CreateInvitationInput,
): Promise<SentInvitation> {
  if (!ctx.can("members.invite")) throw forbidden();
  if (!canGrant(ctx.role, input.role)) {
    throw new AppError("forbidden", "You cannot invite someone with a role above your own.", {
      fieldErrors: { role: ["You cannot invite someone with a role above your own."] },
    });
  }
  const { token, hash } = newToken();
  const row = await ctx.tx(async (tx) => {
    // Serialized per organization, so two clicks cannot create two pending invitations for one email.
    await lockMemberships(tx, ctx.org.id);
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, ctx.org.id), eq(sql`lower(${users.email})`, input.email)))
      .limit(1);
    if (member) {
      throw new AppError("conflict", "This person is already a member.", {
        fieldErrors: { email: ["This person is already a member of the organization."] },
      });
    }
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.orgId, ctx.org.id),
          eq(sql`lower(${invitations.email})`, input.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      )
      .limit(1);
    if (pending) {
      throw new AppError("conflict", "An invitation is already pending for this email.", {
        fieldErrors: { email: ["An invitation is already pending for this email. Resend it from the list."] },
      });
    }
    const [created] = await tx
      .insert(invitations)
      .values({
        orgId: ctx.org.id,
        email: input.email,
        role: input.role,
        tokenHash: hash,
        invitedById: ctx.user.id,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning(publicColumns);
    if (!created) throw new Error("invitation insert returned no row");
    await ctx.audit(tx, {
      action: "invitation.create",
      target: { type: "invitation", id: created.id },
      metadata: { email: input.email, role: input.role },
    });
    return created;
  });
  return deliverInvitation(ctx, row, token);
}

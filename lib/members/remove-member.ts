import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { membershipRemovals, memberships } from "@/db/schema";
import { roleRank } from "@/lib/auth/permissions";
import { forbidden, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import {
  assertAnotherOwner,
  findMembershipForUpdate,
  lockMemberships,
  type MembershipRow,
} from "./membership";
import type { RemoveMemberInput } from "./schemas";

/**
 * Removes a member. Removing one's own membership is leaving, which any member may do; removing
 * someone else needs `members.manage` and a role at least as high as theirs.
 */
export async function removeMember(
  ctx: OrgContext,
  input: RemoveMemberInput,
): Promise<{ id: string; left: boolean }> {
  return ctx.tx(async (tx) => {
    await lockMemberships(tx, ctx.org.id);
    const own = await findMembershipForUpdate(tx, ctx.org.id, { userId: ctx.user.id });
    if (!own) throw notFound("Organization not found.");
    if (own.id === input.memberId) {
      await leave(ctx, tx, own);
      return { id: own.id, left: true };
    }
    // Permission before existence: without members.manage, other members' ids reveal nothing.
    if (!ctx.can("members.manage")) throw forbidden();
    const target = await findMembershipForUpdate(tx, ctx.org.id, { id: input.memberId });
    if (!target) throw notFound("Member not found.");
    if (roleRank(target.role) > roleRank(ctx.role)) {
      throw forbidden("You cannot remove someone whose role is above yours.");
    }
    if (target.role === "owner") await assertAnotherOwner(tx, ctx.org.id, target.id);
    await deleteMembership(tx, ctx.org.id, target);
    await ctx.audit(tx, {
      action: "member.remove",
      target: { type: "membership", id: target.id },
      metadata: { userId: target.userId, role: target.role },
    });
    return { id: target.id, left: false };
  });
}

/** The signed-in user leaves the organization (the last owner cannot). */
export async function leaveOrganization(ctx: OrgContext): Promise<{ id: string }> {
  return ctx.tx(async (tx) => {
    await lockMemberships(tx, ctx.org.id);
    const own = await findMembershipForUpdate(tx, ctx.org.id, { userId: ctx.user.id });
    if (!own) throw notFound("Organization not found.");
    await leave(ctx, tx, own);
    return { id: own.id };
  });
}

async function leave(ctx: OrgContext, tx: Tx, own: MembershipRow): Promise<void> {
  if (own.role === "owner") await assertAnotherOwner(tx, ctx.org.id, own.id);
  await deleteMembership(tx, ctx.org.id, own);
  await ctx.audit(tx, {
    action: "member.leave",
    target: { type: "membership", id: own.id },
    metadata: { userId: own.userId, role: own.role },
  });
}

/** Also records the removal, so SSO just-in-time membership does not bring the person back. */
async function deleteMembership(tx: Tx, orgId: string, membership: MembershipRow): Promise<void> {
  await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.id, membership.id)));
  await tx
    .insert(membershipRemovals)
    .values({ orgId, userId: membership.userId })
    .onConflictDoUpdate({
      target: [membershipRemovals.orgId, membershipRemovals.userId],
      set: { removedAt: new Date() },
    });
}

import { and, eq } from "drizzle-orm";
import { memberships, type Role } from "@/db/schema";
import { canGrant, roleRank } from "@/lib/auth/permissions";
import { forbidden, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { assertAnotherOwner, findMembershipForUpdate, lockMemberships } from "./membership";
import type { ChangeMemberRoleInput } from "./schemas";

/**
 * Changes a member's role. Nobody grants a role above their own or touches someone ranked above
 * them, and the last owner cannot be demoted.
 */
export async function changeMemberRole(
  ctx: OrgContext,
  input: ChangeMemberRoleInput,
): Promise<{ id: string; role: Role }> {
  if (!ctx.can("members.manage")) throw forbidden();
  return ctx.tx(async (tx) => {
    await lockMemberships(tx, ctx.org.id);
    const target = await findMembershipForUpdate(tx, ctx.org.id, { id: input.memberId });
    if (!target) throw notFound("Member not found.");
    if (roleRank(target.role) > roleRank(ctx.role)) {
      throw forbidden("You cannot change the role of someone whose role is above yours.");
    }
    if (!canGrant(ctx.role, input.role)) throw forbidden("You cannot grant a role above your own.");
    if (target.role === input.role) return { id: target.id, role: target.role };
    if (target.role === "owner") await assertAnotherOwner(tx, ctx.org.id, target.id);
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.orgId, ctx.org.id), eq(memberships.id, target.id)));
    await ctx.audit(tx, {
      action: "member.role_change",
      target: { type: "membership", id: target.id },
      metadata: { userId: target.userId, from: target.role, to: input.role },
    });
    return { id: target.id, role: input.role };
  });
}

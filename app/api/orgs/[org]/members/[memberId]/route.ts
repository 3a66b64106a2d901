import { orgRoute } from "@/lib/api/route";
import { changeMemberRole } from "@/lib/members/change-member-role";
import { removeMember } from "@/lib/members/remove-member";
import { memberId, updateMemberBodySchema } from "@/lib/members/schemas";

/** Changes a member's role: `{ "role": "owner" | "admin" | "member" | "viewer" }`. */
export const PATCH = orgRoute(
  { permission: "members.manage", body: updateMemberBodySchema },
  async ({ ctx, body, params }) => ({
    member: await changeMemberRole(ctx, { memberId: memberId(params.memberId), role: body.role }),
  }),
);

/**
 * Removes a member. Any member may remove their own membership (leave); removing someone else
 * needs `members.manage`, which the verb checks once it knows whose membership this is.
 */
export const DELETE = orgRoute({ permission: "org.read" }, async ({ ctx, params }) => {
  await removeMember(ctx, { memberId: memberId(params.memberId) });
});

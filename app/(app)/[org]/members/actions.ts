"use server";

import { orgAction } from "@/lib/api/action";
import { createInvitation } from "@/lib/invitations/create-invitation";
import { resendInvitation } from "@/lib/invitations/resend-invitation";
import { revokeInvitation } from "@/lib/invitations/revoke-invitation";
import { createInvitationSchema, invitationIdSchema } from "@/lib/invitations/schemas";
import { changeMemberRole } from "@/lib/members/change-member-role";
import { leaveOrganization, removeMember } from "@/lib/members/remove-member";
import { changeMemberRoleSchema, leaveOrganizationSchema, removeMemberSchema } from "@/lib/members/schemas";

export const changeMemberRoleAction = orgAction(
  { permission: "members.manage", schema: changeMemberRoleSchema },
  (input, ctx) => changeMemberRole(ctx, input),
);

export const removeMemberAction = orgAction(
  { permission: "members.manage", schema: removeMemberSchema },
  (input, ctx) => removeMember(ctx, input),
);

/** Any member may leave. */
export const leaveOrganizationAction = orgAction(
  { permission: "org.read", schema: leaveOrganizationSchema },
  (_input, ctx) => leaveOrganization(ctx),
);

export const createInvitationAction = orgAction(
  { permission: "members.invite", schema: createInvitationSchema },
  (input, ctx) => createInvitation(ctx, input),
);

export const resendInvitationAction = orgAction(
  { permission: "members.invite", schema: invitationIdSchema },
  (input, ctx) => resendInvitation(ctx, input),
);

export const revokeInvitationAction = orgAction(
  { permission: "members.invite", schema: invitationIdSchema },
  (input, ctx) => revokeInvitation(ctx, input),
);

import { orgRoute } from "@/lib/api/route";
import { revokeInvitation } from "@/lib/invitations/revoke-invitation";
import { invitationId } from "@/lib/invitations/schemas";

/** Revokes an invitation. */
export const DELETE = orgRoute({ permission: "members.invite" }, async ({ ctx, params }) => {
  await revokeInvitation(ctx, { id: invitationId(params.id) });
});

import { orgRoute } from "@/lib/api/route";
import { resendInvitation } from "@/lib/invitations/resend-invitation";
import { invitationId } from "@/lib/invitations/schemas";

/** Sends the invitation again with a new link and a new expiry. */
export const POST = orgRoute({ permission: "members.invite" }, async ({ ctx, params }) =>
  resendInvitation(ctx, { id: invitationId(params.id) }),
);

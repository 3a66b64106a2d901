"use server";

import { userAction } from "@/lib/api/action";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { acceptInvitationSchema } from "@/lib/invitations/schemas";

// Per IP on top of the per-user default: tokens must not be guessable by trying many.
export const acceptInvitationAction = userAction(
  acceptInvitationSchema,
  (input, user, meta) => acceptInvitation(user, meta, input),
  { limit: "invite.accept.ip" },
);

"use server";

import { userAction } from "@/lib/api/action";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { acceptInvitationSchema } from "@/lib/invitations/schemas";

export const acceptInvitationAction = userAction(acceptInvitationSchema, (input, user, meta) =>
  acceptInvitation(user, meta, input),
);

import { orgRoute } from "@/lib/api/route";
import { createInvitation } from "@/lib/invitations/create-invitation";
import { listInvitations } from "@/lib/invitations/list-invitations";
import { createInvitationSchema } from "@/lib/invitations/schemas";

/** Open invitations (pending and expired). */
export const GET = orgRoute({ permission: "members.invite" }, async ({ ctx }) => ({
  invitations: await listInvitations(ctx),
}));

/** Invites `{ "email": string, "role": ... }`; the response carries the link, never its hash. */
export const POST = orgRoute(
  { permission: "members.invite", body: createInvitationSchema },
  async ({ ctx, body }) => Response.json(await createInvitation(ctx, body), { status: 201 }),
);

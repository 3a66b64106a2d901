import type { ListedInvitation } from "./list-invitations";

/** An open invitation as client components see it (dates as ISO strings, as the JSON API sends them). */
export type InvitationView = Omit<ListedInvitation, "expiresAt" | "lastSentAt" | "createdAt"> & {
  expiresAt: string;
  lastSentAt: string;
  createdAt: string;
};

export function toInvitationView(invitation: ListedInvitation): InvitationView {
  return {
    ...invitation,
    expiresAt: invitation.expiresAt.toISOString(),
    lastSentAt: invitation.lastSentAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}

export const invitationKeys = {
  list: (org: string) => ["invitations", org] as const,
};

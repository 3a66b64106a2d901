import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { invitations, type Role } from "@/db/schema";

export type InvitationStatus = "pending" | "expired" | "accepted" | "revoked";

/** What a client may see of an invitation: never its token or token hash. */
export type PublicInvitation = {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  expiresAt: Date;
  lastSentAt: Date;
  createdAt: Date;
};

type StatusFields = { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date };

export function invitationStatus(row: StatusFields, now = new Date()): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

export const publicColumns = {
  id: invitations.id,
  email: invitations.email,
  role: invitations.role,
  expiresAt: invitations.expiresAt,
  lastSentAt: invitations.lastSentAt,
  createdAt: invitations.createdAt,
  acceptedAt: invitations.acceptedAt,
  revokedAt: invitations.revokedAt,
};

export type InvitationRow = Omit<PublicInvitation, "status"> & {
  acceptedAt: Date | null;
  revokedAt: Date | null;
};

export function toPublic(row: InvitationRow): PublicInvitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: invitationStatus(row),
    expiresAt: row.expiresAt,
    lastSentAt: row.lastSentAt,
    createdAt: row.createdAt,
  };
}

/** One invitation of this organization, locked for the rest of the transaction. */
export async function findInvitationForUpdate(
  tx: Tx,
  orgId: string,
  id: string,
): Promise<InvitationRow | undefined> {
  const [row] = await tx
    .select(publicColumns)
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id)))
    .for("update");
  return row;
}

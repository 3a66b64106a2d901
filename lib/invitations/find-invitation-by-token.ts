import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { invitations, organizations, type Role, users } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import { type InvitationStatus, invitationStatus } from "./invitation";

export type InvitationPreview = {
  id: string;
  orgId: string;
  orgName: string;
  orgSlug: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  expiresAt: Date;
  invitedBy: string | null;
};

// newToken() makes 32 random bytes in base64url; anything else cannot be a token.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The invitee is not a member yet, so no tenant scope can be set before we know which
 * organization the token belongs to. This is the one system (owner-connection) read on the
 * invitation path: keyed by the hash of an unguessable token, returning only what the accept page
 * shows. Everything that writes runs afterwards inside `withTenant` for that organization.
 */
export async function findInvitationByToken(token: string): Promise<InvitationPreview | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      id: invitations.id,
      orgId: invitations.orgId,
      orgName: organizations.name,
      orgSlug: organizations.slug,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      inviterName: users.name,
      inviterEmail: users.email,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .leftJoin(users, eq(users.id, invitations.invitedById))
    .where(eq(invitations.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return null;
  return {
    id: row.id,
    orgId: row.orgId,
    orgName: row.orgName,
    orgSlug: row.orgSlug,
    email: row.email,
    role: row.role,
    status: invitationStatus(row),
    expiresAt: row.expiresAt,
    invitedBy: row.inviterName ?? row.inviterEmail,
  };
}

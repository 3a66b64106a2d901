import { and, desc, eq, isNull } from "drizzle-orm";
import { invitations, users } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { type PublicInvitation, publicColumns, toPublic } from "./invitation";

export type ListedInvitation = PublicInvitation & {
  invitedBy: { name: string | null; email: string } | null;
};

/** Invitations not yet accepted or revoked (pending and expired), newest first. */
export async function listInvitations(ctx: OrgContext): Promise<ListedInvitation[]> {
  const rows = await ctx.tx((tx) =>
    tx
      .select({ ...publicColumns, inviterName: users.name, inviterEmail: users.email })
      .from(invitations)
      .leftJoin(users, eq(users.id, invitations.invitedById))
      .where(
        and(eq(invitations.orgId, ctx.org.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
      )
      .orderBy(desc(invitations.createdAt)),
  );
  return rows.map(({ inviterName, inviterEmail, ...row }) => ({
    ...toPublic(row),
    invitedBy: inviterEmail ? { name: inviterName, email: inviterEmail } : null,
  }));
}

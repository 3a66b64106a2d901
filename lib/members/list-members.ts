import { eq } from "drizzle-orm";
import { memberships, type Role, users } from "@/db/schema";
import { roleRank } from "@/lib/auth/permissions";
import type { OrgContext } from "@/lib/orgs/context";

export type Member = {
  id: string;
  userId: string;
  name: string | null;
  email: string;
  role: Role;
  joinedAt: Date;
};

/** Members of the organization, highest role first, then by name. */
export async function listMembers(ctx: OrgContext): Promise<Member[]> {
  const rows = await ctx.tx((tx) =>
    tx
      .select({
        id: memberships.id,
        userId: memberships.userId,
        name: users.name,
        email: users.email,
        role: memberships.role,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, ctx.org.id)),
  );
  return rows.sort(
    (a, b) => roleRank(b.role) - roleRank(a.role) || (a.name ?? a.email).localeCompare(b.name ?? b.email),
  );
}

import { asc, eq } from "drizzle-orm";
import { asUser } from "@/db";
import { memberships, organizations, type Role } from "@/db/schema";

export type UserOrganization = { id: string; name: string; slug: string; role: Role };

/** The organizations a user belongs to (the org picker and switcher), under the user's own RLS scope. */
export async function listOrganizations(userId: string): Promise<UserOrganization[]> {
  return asUser(userId, (tx) =>
    tx
      .select({
        id: organizations.id,
        name: organizations.name,
        slug: organizations.slug,
        role: memberships.role,
      })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(organizations.name)),
  );
}

import { randomUUID } from "node:crypto";
import { withTenant } from "@/db";
import { memberships, organizations } from "@/db/schema";
import { writeAudit } from "@/lib/audit/log";
import type { SessionUser } from "@/lib/auth/session";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import type { UserOrganization } from "./list-organizations";
import type { CreateOrganizationInput } from "./schemas";
import { slugWithSuffix, suggestSlug } from "./slug";

export const slugTakenError = () =>
  new AppError("conflict", "That URL is already taken.", {
    fieldErrors: { slug: ["That URL is already taken. Choose another."] },
  });

/**
 * Creates an organization with the user as its owner. The id is chosen here so the insert can run
 * inside that organization's RLS scope, together with its audit entries.
 */
export async function createOrganization(
  user: SessionUser,
  meta: RequestMeta,
  input: CreateOrganizationInput,
): Promise<UserOrganization> {
  const explicitSlug = input.slug !== undefined;
  let slug = input.slug ?? suggestSlug(input.name);
  // A slug derived from the name may collide; retry a few suffixed variants before giving up.
  for (let attempt = 0; ; attempt++) {
    try {
      return await insertOrganization(user, meta, input.name, slug);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (explicitSlug || attempt >= 4) throw slugTakenError();
      slug = slugWithSuffix(suggestSlug(input.name));
    }
  }
}

async function insertOrganization(
  user: SessionUser,
  meta: RequestMeta,
  name: string,
  slug: string,
): Promise<UserOrganization> {
  const id = randomUUID();
  return withTenant({ orgId: id, userId: user.id }, async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ id, name, slug })
      .returning({ id: organizations.id, name: organizations.name, slug: organizations.slug });
    const [membership] = await tx
      .insert(memberships)
      .values({ orgId: id, userId: user.id, role: "owner" })
      .returning({ id: memberships.id });
    if (!org || !membership) throw new Error("organization insert returned no row");
    const actor = { id: user.id, email: user.email };
    await writeAudit(tx, {
      orgId: id,
      actor,
      action: "org.create",
      target: { type: "organization", id },
      metadata: { name, slug },
      meta,
    });
    await writeAudit(tx, {
      orgId: id,
      actor,
      action: "member.join",
      target: { type: "membership", id: membership.id },
      metadata: { userId: user.id, email: user.email, role: "owner", via: "create" },
      meta,
    });
    return { ...org, role: "owner" as const };
  });
}

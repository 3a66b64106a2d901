import { eq } from "drizzle-orm";
import { organizations } from "@/db/schema";
import { isUniqueViolation, notFound } from "@/lib/errors";
import type { OrgContext, OrgSummary } from "./context";
import { slugTakenError } from "./create-organization";
import type { UpdateOrganizationInput } from "./schemas";

/** Renames the organization and/or changes its URL slug; the caller follows a slug change. */
export async function updateOrganization(
  ctx: OrgContext,
  input: UpdateOrganizationInput,
): Promise<OrgSummary> {
  try {
    return await ctx.tx(async (tx) => {
      const [before] = await tx
        .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
        .from(organizations)
        .where(eq(organizations.id, ctx.org.id))
        .for("update");
      if (!before) throw notFound("Organization not found.");
      const name = input.name ?? before.name;
      const slug = input.slug ?? before.slug;
      if (name === before.name && slug === before.slug) return before;
      const [after] = await tx
        .update(organizations)
        .set({ name, slug, updatedAt: new Date() })
        .where(eq(organizations.id, ctx.org.id))
        .returning({ id: organizations.id, name: organizations.name, slug: organizations.slug });
      if (!after) throw notFound("Organization not found.");
      const changes: Record<string, { from: string; to: string }> = {};
      if (name !== before.name) changes.name = { from: before.name, to: name };
      if (slug !== before.slug) changes.slug = { from: before.slug, to: slug };
      await ctx.audit(tx, {
        action: "org.update",
        target: { type: "organization", id: ctx.org.id },
        metadata: changes,
      });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTakenError();
    throw error;
  }
}

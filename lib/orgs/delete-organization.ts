import { eq } from "drizzle-orm";
import { organizations } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { OrgContext } from "./context";
import type { DeleteOrganizationInput } from "./schemas";

/**
 * Deletes the organization and, by cascade, everything it owns — its audit log included, so the
 * deletion itself is recorded in the server log instead.
 */
export async function deleteOrganization(ctx: OrgContext, input: DeleteOrganizationInput): Promise<void> {
  if (input.confirm !== ctx.org.slug) {
    throw new AppError("validation", "The confirmation does not match.", {
      fieldErrors: { confirm: [`Type ${ctx.org.slug} to confirm.`] },
    });
  }
  await ctx.tx(async (tx) => {
    const deleted = await tx
      .delete(organizations)
      .where(eq(organizations.id, ctx.org.id))
      .returning({ id: organizations.id });
    if (deleted.length === 0) throw notFound("Organization not found.");
  });
  console.info(
    `[org] deleted organization "${ctx.org.slug}" (${ctx.org.id}) by ${ctx.user.email} (${ctx.user.id})` +
      ` ip=${ctx.meta.ip ?? "-"}`,
  );
}

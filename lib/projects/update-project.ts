import "server-only";
import { and, eq } from "drizzle-orm";
import { projects } from "@/db/schema";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { slugTaken } from "./create-project";
import { findProjectRow, readProject } from "./queries";
import type { UpdateProjectInput } from "./schemas";
import type { Project } from "./types";

const projectArchived = () =>
  new AppError("conflict", "This project is archived. Unarchive it before making changes.");

const FIELDS = ["name", "slug", "description", "brief"] as const;

/**
 * Renames or re-describes a project. Archived projects are read-only. The audit entry lists the
 * fields that actually changed; a submission that changes nothing writes nothing.
 */
export async function updateProject(
  ctx: OrgContext,
  slug: string,
  input: UpdateProjectInput,
): Promise<Project> {
  try {
    return await ctx.tx(async (tx) => {
      const row = await findProjectRow(tx, ctx.org.id, slug, { forUpdate: true });
      if (row.status === "archived") throw projectArchived();
      const changed = FIELDS.filter((f) => input[f] !== undefined && input[f] !== row[f]);
      if (changed.length === 0) return readProject(tx, ctx.org.id, slug);
      const patch = Object.fromEntries(changed.map((f) => [f, input[f]]));
      const [updated] = await tx
        .update(projects)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(projects.orgId, ctx.org.id), eq(projects.id, row.id)))
        .returning();
      if (!updated) throw new Error("project update returned no row");
      const previous: Record<string, string> = {};
      if (changed.includes("name")) previous.name = row.name;
      if (changed.includes("slug")) previous.slug = row.slug;
      await ctx.audit(tx, {
        action: "project.update",
        target: { type: "project", id: row.id },
        metadata: { changed, name: updated.name, slug: updated.slug, previous },
      });
      return readProject(tx, ctx.org.id, updated.slug);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

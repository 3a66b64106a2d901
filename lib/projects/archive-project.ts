import "server-only";
import { and, eq } from "drizzle-orm";
import { projects } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow, readProject } from "./queries";
import type { Project } from "./types";

/**
 * Archives (read-only, hidden from the default list) or restores a project. Asking for the state
 * it is already in is a 409, so a repeated click never writes a second audit entry.
 */
async function setProjectArchived(ctx: OrgContext, slug: string, archived: boolean): Promise<Project> {
  return ctx.tx(async (tx) => {
    const row = await findProjectRow(tx, ctx.org.id, slug, { forUpdate: true });
    if ((row.status === "archived") === archived) {
      throw new AppError(
        "conflict",
        archived ? "This project is already archived." : "This project is not archived.",
      );
    }
    const now = new Date();
    await tx
      .update(projects)
      .set(
        archived
          ? { status: "archived", archivedAt: now, updatedAt: now }
          : { status: "active", archivedAt: null, updatedAt: now },
      )
      .where(and(eq(projects.orgId, ctx.org.id), eq(projects.id, row.id)));
    await ctx.audit(tx, {
      action: archived ? "project.archive" : "project.unarchive",
      target: { type: "project", id: row.id },
      metadata: { name: row.name, slug: row.slug },
    });
    return readProject(tx, ctx.org.id, slug);
  });
}

export const archiveProject = (ctx: OrgContext, slug: string) => setProjectArchived(ctx, slug, true);
export const unarchiveProject = (ctx: OrgContext, slug: string) => setProjectArchived(ctx, slug, false);

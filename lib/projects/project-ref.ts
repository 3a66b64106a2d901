import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { projects, users } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { isUuid } from "@/lib/runs/schemas";
import { toProject } from "./queries";
import { PROJECT_SLUG } from "./schemas";
import type { Project } from "./types";

/**
 * A project named by its id or its slug (REST v1 URLs take either): the slug the project verbs
 * take. A UUID-shaped reference is read as an id only; another organization's id is not found.
 */
export async function readProjectSlug(tx: Tx, orgId: string, ref: string): Promise<string> {
  if (!isUuid(ref)) return ref;
  const [row] = await tx
    .select({ slug: projects.slug })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), eq(projects.id, ref)))
    .limit(1);
  if (!row) throw notFound("Project not found.");
  return row.slug;
}

export async function projectSlugOf(ctx: OrgContext, ref: string): Promise<string> {
  return isUuid(ref) ? ctx.tx((tx) => readProjectSlug(tx, ctx.org.id, ref)) : ref;
}

/** The project by id or slug with its creator, in one query (REST v1's GET). */
export async function getProjectByRef(ctx: OrgContext, ref: string): Promise<Project> {
  const byId = isUuid(ref);
  if (!byId && !PROJECT_SLUG.test(ref)) throw notFound("Project not found.");
  const [found] = await ctx.tx((tx) =>
    tx
      .select({ row: projects, creator: { id: users.id, name: users.name, email: users.email } })
      .from(projects)
      .leftJoin(users, eq(users.id, projects.createdById))
      .where(and(eq(projects.orgId, ctx.org.id), byId ? eq(projects.id, ref) : eq(projects.slug, ref)))
      .limit(1),
  );
  if (!found) throw notFound("Project not found.");
  return toProject(found.row, found.creator);
}

import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { projects } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { isUuid } from "@/lib/runs/schemas";

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

import { and, count, desc, eq } from "drizzle-orm";
import { memberships, projects } from "@/db/schema";
import type { OrgContext } from "./context";

export type OrgOverview = {
  memberCount: number;
  projectCount: number;
  recentProjects: { id: string; name: string; slug: string; description: string; updatedAt: Date }[];
};

/** What the dashboard shows: counts and the most recently touched active projects (read-only). */
export async function getOrgOverview(ctx: OrgContext): Promise<OrgOverview> {
  return ctx.tx(async (tx) => {
    const [members] = await tx
      .select({ n: count() })
      .from(memberships)
      .where(eq(memberships.orgId, ctx.org.id));
    const active = and(eq(projects.orgId, ctx.org.id), eq(projects.status, "active"));
    const [projectTotal] = await tx.select({ n: count() }).from(projects).where(active);
    const recentProjects = await tx
      .select({
        id: projects.id,
        name: projects.name,
        slug: projects.slug,
        description: projects.description,
        updatedAt: projects.updatedAt,
      })
      .from(projects)
      .where(active)
      .orderBy(desc(projects.updatedAt))
      .limit(5);
    return { memberCount: members?.n ?? 0, projectCount: projectTotal?.n ?? 0, recentProjects };
  });
}

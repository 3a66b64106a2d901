import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { projects } from "@/db/schema";
import { afterCursor, cursorTime, type Page, toPage } from "@/lib/api/v1/pagination";
import type { OrgContext } from "@/lib/orgs/context";
import type { ProjectSummary } from "./types";

/** The organization's projects, newest first, one cursor page at a time (REST v1). */
export async function listProjectsPage(
  ctx: OrgContext,
  query: { status?: "active" | "archived"; limit: number; cursor?: string },
): Promise<Page<ProjectSummary>> {
  const after = afterCursor(projects.createdAt, projects.id, query.cursor);
  const rows = await ctx.tx((tx) =>
    tx
      .select({ row: projects, at: cursorTime(projects.createdAt) })
      .from(projects)
      .where(and(eq(projects.orgId, ctx.org.id), eq(projects.status, query.status ?? "active"), after))
      .orderBy(desc(projects.createdAt), desc(projects.id))
      .limit(query.limit + 1),
  );
  return toPage(
    rows,
    query.limit,
    (r) => ({ createdAt: r.at, id: r.row.id }),
    ({ row }) => ({
      id: row.id,
      name: row.name,
      slug: row.slug,
      description: row.description,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      archivedAt: row.archivedAt?.toISOString() ?? null,
    }),
  );
}

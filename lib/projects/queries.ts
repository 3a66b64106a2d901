import "server-only";
import { and, desc, eq, ilike, like, or } from "drizzle-orm";
import type { Tx } from "@/db";
import { projects, users } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { type ListProjectsQuery, PROJECT_SLUG } from "./schemas";
import type { Project, ProjectSummary } from "./types";

type ProjectRow = typeof projects.$inferSelect;

function toSummary(row: ProjectRow): ProjectSummary {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

export function toProject(row: ProjectRow, createdBy: Project["createdBy"]): Project {
  return { ...toSummary(row), brief: row.brief, createdBy };
}

const projectNotFound = () => notFound("Project not found.");

/** Escapes LIKE wildcards so a search for "50%" means those characters. */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listProjects(ctx: OrgContext, query: ListProjectsQuery): Promise<ProjectSummary[]> {
  const rows = await ctx.tx((tx) =>
    tx
      .select()
      .from(projects)
      .where(
        and(
          eq(projects.orgId, ctx.org.id),
          eq(projects.status, query.status),
          query.q ? ilike(projects.name, `%${likeEscape(query.q)}%`) : undefined,
        ),
      )
      .orderBy(desc(projects.updatedAt), projects.name),
  );
  return rows.map(toSummary);
}

/** The project with this slug in this organization, locked for the rest of `tx` when changing it. */
export async function findProjectRow(
  tx: Tx,
  orgId: string,
  slug: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ProjectRow> {
  if (!PROJECT_SLUG.test(slug)) throw projectNotFound();
  const query = tx
    .select()
    .from(projects)
    .where(and(eq(projects.orgId, orgId), eq(projects.slug, slug)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  if (!row) throw projectNotFound();
  return row;
}

/** The project with its creator, read inside `tx`. */
export async function readProject(tx: Tx, orgId: string, slug: string): Promise<Project> {
  const row = await findProjectRow(tx, orgId, slug);
  if (!row.createdById) return toProject(row, null);
  const [creator] = await tx
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, row.createdById))
    .limit(1);
  return toProject(row, creator ?? null);
}

export async function getProject(ctx: OrgContext, slug: string): Promise<Project> {
  return ctx.tx((tx) => readProject(tx, ctx.org.id, slug));
}

/** Slugs in this organization equal to `base` or of the form `base-…`, to suggest a free one. */
export async function slugsLike(tx: Tx, orgId: string, base: string): Promise<Set<string>> {
  const rows = await tx
    .select({ slug: projects.slug })
    .from(projects)
    .where(
      and(
        eq(projects.orgId, orgId),
        or(eq(projects.slug, base), like(projects.slug, `${likeEscape(base)}-%`)),
      ),
    );
  return new Set(rows.map((r) => r.slug));
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { projects } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { requireScope } from "@/lib/api-keys/key-context";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { type ContextInput, contextSchema } from "@/lib/runs/plan-edit/schemas";
import { PROJECT_SLUG } from "./schemas";

/**
 * Replaces a project's shared context (conventions, decisions) that our agents and IDE agents read.
 * `project` is the project's id or its slug. Needs `projects.write`; audited `project.context_update`.
 */
export async function updateProjectContext(
  ctx: OrgContext,
  project: string,
  input: ContextInput,
): Promise<{ id: string; slug: string; context: string }> {
  requireScope(ctx, "projects.write");
  const { context } = parseWith(contextSchema, input);
  const byId = z.uuid().safeParse(project).success;
  if (!byId && !PROJECT_SLUG.test(project)) throw notFound("Project not found.");
  return ctx.tx(async (tx) => {
    const [row] = await tx
      .update(projects)
      .set({ context, updatedAt: new Date() })
      .where(
        and(eq(projects.orgId, ctx.org.id), byId ? eq(projects.id, project) : eq(projects.slug, project)),
      )
      .returning({ id: projects.id, slug: projects.slug, context: projects.context });
    if (!row) throw notFound("Project not found.");
    await ctx.audit(tx, {
      action: "project.context_update",
      target: { type: "project", id: row.id },
      metadata: { length: context.length },
    });
    return row;
  });
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { projects } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow, readProject } from "./queries";
import type { Project } from "./types";

/** The project's shared context: conventions and decisions that agents (ours and IDE agents) read. */
export const PROJECT_CONTEXT_MAX = 20_000;

export const projectContextSchema = z.object({
  context: z
    .string({ error: "The context must be text." })
    .transform((s) => s.replace(/\r\n?/g, "\n"))
    .pipe(
      z
        .string()
        .max(
          PROJECT_CONTEXT_MAX,
          `The context must be at most ${PROJECT_CONTEXT_MAX.toLocaleString("en-US")} characters.`,
        ),
    ),
  /** `replace` (default) sets the whole context; `append` adds a paragraph after what is there. */
  mode: z.enum(["replace", "append"]).default("replace"),
});
export type ProjectContextInput = z.input<typeof projectContextSchema>;

export type ProjectWithContext = Project & { context: string };

/** The project with its shared context. */
export async function getProjectWithContext(ctx: OrgContext, slug: string): Promise<ProjectWithContext> {
  return ctx.tx(async (tx) => {
    const row = await findProjectRow(tx, ctx.org.id, slug);
    return { ...(await readProject(tx, ctx.org.id, slug)), context: row.context };
  });
}

/**
 * Replaces or appends to the project's shared context (archived projects are read-only). Audited
 * with the lengths before and after, not the text; an unchanged context writes nothing.
 */
export async function updateProjectContext(
  ctx: OrgContext,
  slug: string,
  input: ProjectContextInput,
): Promise<ProjectWithContext> {
  const { context, mode } = projectContextSchema.parse(input);
  return ctx.tx(async (tx) => {
    const row = await findProjectRow(tx, ctx.org.id, slug, { forUpdate: true });
    if (row.status === "archived") {
      throw new AppError("conflict", "This project is archived. Unarchive it before making changes.");
    }
    const next =
      mode === "append" && row.context.trim() ? `${row.context.trimEnd()}\n\n${context.trim()}` : context;
    if (next.length > PROJECT_CONTEXT_MAX) {
      throw new AppError("validation", "Some fields are invalid.", {
        fieldErrors: {
          context: [
            `The context would be longer than ${PROJECT_CONTEXT_MAX.toLocaleString("en-US")} characters.`,
          ],
        },
      });
    }
    if (next !== row.context) {
      await tx
        .update(projects)
        .set({ context: next, updatedAt: new Date() })
        .where(and(eq(projects.orgId, ctx.org.id), eq(projects.id, row.id)));
      await ctx.audit(tx, {
        action: "project.context_update",
        target: { type: "project", id: row.id },
        metadata: { slug: row.slug, mode, before: row.context.length, after: next.length },
      });
    }
    return { ...(await readProject(tx, ctx.org.id, slug)), context: next };
  });
}

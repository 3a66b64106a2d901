import "server-only";
import type { Tx } from "@/db";
import { projects } from "@/db/schema";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { requestRepositoryIndex } from "@/lib/knowledge/request-repository-index";
import type { OrgContext } from "@/lib/orgs/context";
import { ensureRepository } from "@/lib/repos/ensure-repository";
import { readmeFromBrief } from "@/lib/repos/init-origin";
import { type PreparedImport, prepareImport } from "@/lib/repos/remote/import-remote";
import { slugsLike, toProject } from "./queries";
import type { CreateProjectInput } from "./schemas";
import { firstFreeSlug, suggestSlug } from "./slug";
import type { Project } from "./types";

export const slugTaken = () =>
  new AppError("conflict", "Another project in this organization already uses that slug.", {
    fieldErrors: { slug: ["This slug is already used by another project in this organization."] },
  });

async function freeSlugFor(tx: Tx, orgId: string, name: string): Promise<string> {
  const base = suggestSlug(name);
  return firstFreeSlug(base, await slugsLike(tx, orgId, base));
}

/**
 * Creates a project. A slug the caller chose must be free; a slug suggested from the name gets
 * a numeric suffix when taken, so an API client can create "Website" twice without thinking.
 * With `import`, the repository is fetched from the remote first (outside the transaction); a
 * failed fetch creates nothing, and a failed insert removes what was fetched.
 */
export async function createProject(ctx: OrgContext, input: CreateProjectInput): Promise<Project> {
  let imported: PreparedImport | null = null;
  if (input.import) {
    const readme = { path: "README.md", content: readmeFromBrief(input.name, input.brief) };
    imported = await prepareImport(ctx.org.id, input.import, readme);
  }
  try {
    const project = await ctx.tx(async (tx) => {
      const slug = input.slug ?? (await freeSlugFor(tx, ctx.org.id, input.name));
      const [row] = await tx
        .insert(projects)
        .values({
          orgId: ctx.org.id,
          name: input.name,
          slug,
          description: input.description,
          brief: input.brief,
          createdById: ctx.user.id,
        })
        .returning();
      if (!row) throw new Error("project insert returned no row");
      // The repository is part of the project: created in the same transaction, so a project never
      // exists without one (an orphaned folder from a rolled-back insert is reused, never served).
      if (imported) await imported.install(tx, ctx.org.id, row.id);
      else await ensureRepository(tx, ctx.org.id, row);
      await ctx.audit(tx, {
        action: "project.create",
        target: { type: "project", id: row.id },
        metadata: {
          name: row.name,
          slug: row.slug,
          ...(input.import ? { importedFrom: input.import.url } : {}),
        },
      });
      return toProject(row, { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email });
    });
    // The repository exists (created or imported) once the transaction committed: index its docs.
    await requestRepositoryIndex(ctx.org.id, project.id);
    return project;
  } catch (error) {
    await imported?.discard();
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

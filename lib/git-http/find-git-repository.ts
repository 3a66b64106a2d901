import "server-only";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { loadRepository } from "@/lib/repos/settings/load-repository";

export type GitRepository = {
  projectId: string;
  projectSlug: string;
  archived: boolean;
  defaultBranch: string;
  /** The bare origin, from database ids (lib/repos/paths.ts originPath). */
  origin: string;
};

/**
 * The repository behind `/git/<org>/<project>.git`, in the key's organization only: another
 * org's slug and an unknown project are the same 404, so nothing about other orgs leaks.
 */
export async function findGitRepository(
  ctx: OrgContext,
  orgSlug: string,
  projectSlug: string,
): Promise<GitRepository> {
  if (orgSlug !== ctx.org.slug) throw new AppError("not_found", "Repository not found.");
  return ctx.tx(async (tx) => {
    const { project, repo, origin } = await loadRepository(tx, ctx.org.id, projectSlug);
    return {
      projectId: project.id,
      projectSlug: project.slug,
      archived: project.status === "archived",
      defaultBranch: repo.defaultBranch,
      origin,
    };
  });
}

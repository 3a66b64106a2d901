import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { projectRepositories } from "@/db/schema";
import { initOrigin, readmeFromBrief } from "./init-origin";
import { originPath } from "./paths";

export type RepositoryRow = typeof projectRepositories.$inferSelect;

type ProjectRef = { id: string; name: string; brief: string };

/**
 * The project's repository: its row and its origin on disk, created when missing (new projects,
 * and projects made before repositories existed). Safe to call any number of times, from any
 * process: the row insert ignores a concurrent one and the origin is created atomically.
 */
export async function ensureRepository(
  tx: Tx,
  orgId: string,
  project: ProjectRef,
): Promise<{ repo: RepositoryRow; origin: string }> {
  const origin = originPath(orgId, project.id);
  let [repo] = await tx
    .select()
    .from(projectRepositories)
    .where(and(eq(projectRepositories.orgId, orgId), eq(projectRepositories.projectId, project.id)))
    .limit(1);
  if (!repo) {
    await tx
      .insert(projectRepositories)
      .values({ orgId, projectId: project.id })
      .onConflictDoNothing({ target: projectRepositories.projectId });
    [repo] = await tx
      .select()
      .from(projectRepositories)
      .where(and(eq(projectRepositories.orgId, orgId), eq(projectRepositories.projectId, project.id)))
      .limit(1);
  }
  if (!repo) throw new Error("project repository row missing after insert");
  await initOrigin(origin, {
    defaultBranch: repo.defaultBranch,
    files: [{ path: "README.md", content: readmeFromBrief(project.name, project.brief) }],
  });
  return { repo, origin };
}

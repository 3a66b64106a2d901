import path from "node:path";
import { z } from "zod";
import { dataDir, env } from "@/lib/env";

const uuid = z.string().uuid();

/** Bare repositories, one per project (a shared volume in production). */
export function reposDir(): string {
  return path.resolve(env().REPOS_DIR ?? path.join(dataDir(), "repos"));
}

/** Working copies: caches, recreated from the origin whenever missing or stale. */
export function worktreesDir(): string {
  return path.resolve(env().WORKTREES_DIR ?? path.join(dataDir(), "worktrees"));
}

function ids(...values: string[]): string[] {
  for (const v of values) {
    // Paths are built from ids the database issued, never from names a tenant chose.
    if (!uuid.safeParse(v).success) throw new Error(`not a uuid: ${JSON.stringify(v).slice(0, 60)}`);
  }
  return values;
}

/** `<REPOS_DIR>/<org>/<project>.git` */
export function originPath(orgId: string, projectId: string): string {
  const [org, project] = ids(orgId, projectId);
  return path.join(reposDir(), org as string, `${project}.git`);
}

/** `<WORKTREES_DIR>/<org>/<project>/<name>` where name is a run or task id (or `run-<id>`). */
export function workingCopyPath(orgId: string, projectId: string, name: string): string {
  const [org, project] = ids(orgId, projectId);
  if (!/^[a-z0-9][a-z0-9-]{0,80}$/.test(name)) throw new Error("bad working copy name");
  return path.join(worktreesDir(), org as string, project as string, name);
}

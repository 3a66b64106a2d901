import { gitBare } from "@/lib/repos/git";
import { workingCopyPath } from "@/lib/repos/paths";
import { buildRepoMap, renderRepoMap } from "@/lib/repos/repo-map";
import { taskWorkRef } from "@/lib/repos/workspace/refs";
import { baseOf, openWorkingCopy, resolveCommit } from "@/lib/repos/workspace/working-copy";
import { runRepository, taskWorkingCopy } from "./repo-work";
import type { RunScope } from "./types";

/**
 * What prompts learn of the repository: a bounded map at a commit (never the files themselves;
 * agents read those with their tools), and for the reviewer the task's changes as a patch.
 */

/** Maps are a function of the repository and commit: built once per process, however many tasks ask. */
const maps = new Map<string, Promise<string>>();
const MAX_CACHED_MAPS = 64;

function cached(key: string, build: () => Promise<string>): Promise<string> {
  const hit = maps.get(key);
  if (hit) return hit;
  const made = build().catch((error: unknown) => {
    maps.delete(key);
    throw error;
  });
  maps.set(key, made);
  if (maps.size > MAX_CACHED_MAPS) maps.delete(maps.keys().next().value as string);
  return made;
}

/** The map of the run branch's head, for the orchestrator (built in a working copy of the run's own). */
export async function runRepositoryMap(scope: RunScope): Promise<string> {
  const repo = await runRepository(scope);
  const head = (await resolveCommit(repo.origin, `refs/heads/${repo.branch}`)) ?? repo.baseCommit;
  return cached(`${repo.origin}@${head}`, async () => {
    const dir = workingCopyPath(scope.orgId, repo.projectId, `map-${scope.runId}`);
    const ws = await openWorkingCopy(repo.origin, dir, { base: head, from: head });
    return renderRepoMap(await buildRepoMap(ws.dir));
  });
}

/**
 * The map for one attempt of a task, from the task's own working copy opened where the attempt
 * starts (its first model call then finds it ready).
 */
export async function attemptRepositoryMap(
  scope: RunScope,
  taskId: string,
  state: { base: string; start: string },
): Promise<string> {
  const repo = await runRepository(scope);
  return cached(`${repo.origin}@${state.start}`, async () => {
    const dir = taskWorkingCopy(scope, repo.projectId, taskId);
    const ws = await openWorkingCopy(repo.origin, dir, { base: state.base, from: state.start });
    return renderRepoMap(await buildRepoMap(ws.dir));
  });
}

const MAX_PATCH_CHARS = 24_000;

/**
 * The task's latest work against its base, as a reviewer reads a pull request: the file
 * summary, then the patch, cut at a bound with a note. Null when the task changed nothing.
 */
export async function taskChanges(scope: RunScope, taskId: string): Promise<string | null> {
  const repo = await runRepository(scope);
  const work = await resolveCommit(repo.origin, taskWorkRef(scope.runId, taskId));
  if (!work) return null;
  const base = await baseOf(repo.origin, work);
  const { stdout: stat } = await gitBare(repo.origin, ["diff", "--stat=120", "--find-renames", base, work]);
  if (!stat.trim()) return null;
  const { stdout: patch } = await gitBare(repo.origin, ["diff", "--find-renames", "--no-color", base, work], {
    maxBuffer: 8 * 1024 * 1024,
  });
  const cut =
    patch.length > MAX_PATCH_CHARS
      ? `${patch.slice(0, MAX_PATCH_CHARS)}\n[… patch cut at ${MAX_PATCH_CHARS} characters of ${patch.length}]`
      : patch;
  return `${stat.trim()}\n\n\`\`\`diff\n${cut.trimEnd()}\n\`\`\``;
}

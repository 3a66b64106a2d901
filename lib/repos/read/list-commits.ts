import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { type CommitInfo, describeCommits, readLog } from "./commit-log";
import { parseCursor, parseRepoPath } from "./input";
import { openProjectRepoIn, type ResolvedRef, resolveRef } from "./repo";

export const MAX_COMMITS_PAGE = 100;

export type CommitPage = {
  ref: ResolvedRef;
  path: string;
  commits: CommitInfo[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
  defaultBranch: string;
};

/** History of `ref` (optionally of one path), newest first, a page at a time. */
export async function listCommits(
  ctx: OrgContext,
  projectSlug: string,
  input: { ref?: string; path?: string; cursor?: string; limit?: number },
): Promise<CommitPage> {
  const path = parseRepoPath(input.path);
  const skip = parseCursor(input.cursor);
  const limit = Math.min(Math.max(1, Math.trunc(input.limit ?? 30)), MAX_COMMITS_PAGE);
  return ctx.tx(async (tx) => {
    const repo = await openProjectRepoIn(tx, ctx, projectSlug);
    const ref = await resolveRef(repo, input.ref);
    const raw = await readLog(repo.origin, [
      `--max-count=${limit + 1}`,
      `--skip=${skip}`,
      ref.sha,
      "--",
      ...(path ? [path] : []),
    ]);
    const more = raw.length > limit;
    const commits = await describeCommits(tx, repo, raw.slice(0, limit));
    return {
      ref,
      path,
      commits,
      nextCursor: more ? String(skip + limit) : null,
      defaultBranch: repo.defaultBranch,
    };
  });
}

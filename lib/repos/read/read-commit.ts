import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { type CommitInfo, describeCommits, readLog } from "./commit-log";
import { diffCommits, type TreeDiff } from "./diff";
import { openProjectRepoIn, resolveRef } from "./repo";

export type CommitView = { commit: CommitInfo; diff: TreeDiff };

/** One commit with its changes against its first parent (the empty tree for a root commit). */
export async function readCommit(ctx: OrgContext, projectSlug: string, sha: string): Promise<CommitView> {
  return ctx.tx(async (tx) => {
    const repo = await openProjectRepoIn(tx, ctx, projectSlug);
    const ref = await resolveRef(repo, sha);
    const [raw] = await readLog(repo.origin, ["--max-count=1", ref.sha, "--"]);
    if (!raw) throw new Error("resolved commit has no log entry");
    const [commit] = await describeCommits(tx, repo, [raw]);
    if (!commit) throw new Error("commit not described");
    const diff = await diffCommits(repo.origin, raw.parents[0] ?? null, raw.sha);
    return { commit, diff };
  });
}

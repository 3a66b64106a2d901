import { lsRemote, pushCommit } from "../remote/remote-git";
import type { VettedRemote } from "../remote/vet-remote-url";

export type PushOutcome = { pushed: boolean; previous: string | null };

/**
 * Pushes commit `sha` of the origin to `refs/heads/<branch>` on the remote. The remote's branch is
 * read first: already there → nothing to do (a re-executed step pushes nothing twice); elsewhere →
 * a push with a lease on what was read, so a branch someone moved meanwhile is not overwritten.
 */
export async function pushRunBranch(args: {
  origin: string;
  remote: VettedRemote;
  token: string | null;
  branch: string;
  sha: string;
}): Promise<PushOutcome> {
  const { heads } = await lsRemote(args.remote, args.token);
  const previous = heads.get(args.branch) ?? null;
  if (previous === args.sha) return { pushed: false, previous };
  await pushCommit(args.origin, args.remote, args.token, {
    sha: args.sha,
    branch: args.branch,
    expected: previous,
  });
  return { pushed: true, previous };
}

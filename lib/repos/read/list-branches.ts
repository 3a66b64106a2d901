import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { gitBare } from "../git";
import { openProjectRepo } from "./repo";

export type BranchInfo = { name: string; sha: string; committedAt: string; isDefault: boolean };

/** The project's branches, the default one first, then the most recently committed. */
export async function listBranches(
  ctx: OrgContext,
  projectSlug: string,
): Promise<{ defaultBranch: string; branches: BranchInfo[] }> {
  const repo = await openProjectRepo(ctx, projectSlug);
  const { stdout } = await gitBare(repo.origin, [
    "for-each-ref",
    "--sort=-committerdate",
    "--format=%(refname:lstrip=2)%00%(objectname)%00%(committerdate:iso-strict)",
    "refs/heads/",
  ]);
  const branches = stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [name = "", sha = "", committedAt = ""] = line.split("\0");
      return { name, sha, committedAt, isDefault: name === repo.defaultBranch };
    })
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return { defaultBranch: repo.defaultBranch, branches };
}

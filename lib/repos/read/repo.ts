import "server-only";
import type { Tx } from "@/db";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import { ensureRepository } from "../ensure-repository";
import { GitError, gitBare } from "../git";
import { looksLikeSha, parseRef } from "./input";

export type ProjectRepo = {
  orgId: string;
  orgSlug: string;
  project: { id: string; slug: string; name: string };
  origin: string;
  defaultBranch: string;
};

/**
 * The project's repository for a read: the project is looked up in the caller's organization first
 * (another organization's slug is a 404 before any path is built), and an older project without a
 * repository gets one.
 */
export async function openProjectRepo(ctx: OrgContext, projectSlug: string): Promise<ProjectRepo> {
  return ctx.tx((tx) => openProjectRepoIn(tx, ctx, projectSlug));
}

export async function openProjectRepoIn(tx: Tx, ctx: OrgContext, projectSlug: string): Promise<ProjectRepo> {
  const row = await findProjectRow(tx, ctx.org.id, projectSlug);
  return openRepoOf(tx, ctx, row);
}

export async function openRepoOf(
  tx: Tx,
  ctx: OrgContext,
  row: { id: string; slug: string; name: string; brief: string },
): Promise<ProjectRepo> {
  const { repo, origin } = await ensureRepository(tx, ctx.org.id, row);
  return {
    orgId: ctx.org.id,
    orgSlug: ctx.org.slug,
    project: { id: row.id, slug: row.slug, name: row.name },
    origin,
    defaultBranch: repo.defaultBranch,
  };
}

/** Branch names of the repository (`refs/heads/*`), in git's order. */
export async function branchNames(origin: string): Promise<string[]> {
  const { stdout } = await gitBare(origin, ["for-each-ref", "--format=%(refname:lstrip=2)", "refs/heads/"]);
  return stdout.split("\n").filter(Boolean);
}

export type ResolvedRef = { ref: string; sha: string; branch: string | null };

const refNotFound = (ref: string) =>
  notFound(`No branch or commit "${ref.slice(0, 80)}" in this repository.`);

/** The full id of a commit known to exist, or null (git's `--verify`, after `--end-of-options`). */
export async function verifyCommit(origin: string, rev: string): Promise<string | null> {
  try {
    const { stdout } = await gitBare(
      origin,
      ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`],
      {
        okCodes: [1],
      },
    );
    const sha = stdout.trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  } catch (error) {
    // An ambiguous short id, or anything else git refuses to resolve, is "no such commit".
    if (error instanceof GitError) return null;
    throw error;
  }
}

/**
 * A ref from a request resolved in this repository: a branch name (exactly one of its branches)
 * or a full or abbreviated commit id that names a commit. A malformed ref is a 400, an unknown one
 * a 404. A missing ref means the default branch.
 */
export async function resolveRef(repo: ProjectRepo, value: string | undefined): Promise<ResolvedRef> {
  const ref = value === undefined || value === "" ? repo.defaultBranch : parseRef(value);
  const branches = await branchNames(repo.origin);
  if (branches.includes(ref)) {
    const sha = await verifyCommit(repo.origin, `refs/heads/${ref}`);
    if (sha) return { ref, sha, branch: ref };
  }
  if (looksLikeSha(ref)) {
    const sha = await verifyCommit(repo.origin, ref.toLowerCase());
    if (sha) return { ref, sha, branch: null };
  }
  throw refNotFound(ref);
}

/** What `git cat-file -t` says `<sha>:<path>` is, or null when the path does not exist there. */
export async function objectAt(
  origin: string,
  sha: string,
  path: string,
): Promise<{ type: "tree" | "blob" | "commit"; oid: string } | null> {
  const spec = path === "" ? `${sha}^{tree}` : `${sha}:${path}`;
  const { stdout, code } = await gitBare(origin, ["cat-file", "--batch-check=%(objecttype) %(objectname)"], {
    input: `${spec}\n`,
    okCodes: [1],
  });
  if (code !== 0) return null;
  const [type, oid] = stdout.trim().split(" ");
  if ((type === "tree" || type === "blob" || type === "commit") && oid) return { type, oid };
  return null;
}

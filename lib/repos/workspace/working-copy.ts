import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { git, gitBare } from "../git";
import { exists } from "../init-origin";
import type { Workspace } from "../tools/types";

/**
 * A task's working copy: a cache, cloned from the bare origin with `--shared` (its objects are
 * the origin's, through alternates) and recreated whenever missing or broken. `git worktree` is
 * never used on the origin: it would write this machine's paths into the shared repository.
 *
 * An attempt's state is two commits: `base` (what the task's changes are measured and merged
 * against, the working copy's HEAD) and `from` (the tree to work on: the base itself, or the
 * snapshot after the previous model call). Snapshots are commits with fixed dates, so the same
 * tree on the same parent is the same commit whichever process makes it.
 */
export type AttemptState = { base: string; from: string };

/** Fixed dates for snapshot commits: their ids depend only on content and parents. */
const SNAPSHOT_DATES = { GIT_AUTHOR_DATE: "946684800 +0000", GIT_COMMITTER_DATE: "946684800 +0000" };
const BASE_TRAILER = /^Dm-Base: ([0-9a-f]{40})$/m;

async function isCloneOf(origin: string, dir: string): Promise<boolean> {
  try {
    const alternates = await readFile(path.join(dir, ".git", "objects", "info", "alternates"), "utf8");
    if (
      !alternates
        .split("\n")
        .some((l) => path.resolve(dir, ".git", "objects", l.trim()) === path.join(origin, "objects"))
    )
      return false;
    await git(["rev-parse", "--git-dir"], { cwd: dir });
    return true;
  } catch {
    return false;
  }
}

/** Clones the origin into `dir` unless a usable clone is there; a broken one is replaced. */
export async function ensureClone(origin: string, dir: string): Promise<void> {
  if ((await exists(path.join(dir, ".git"))) && (await isCloneOf(origin, dir))) return;
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${randomUUID()}`;
  try {
    await git(["clone", "--shared", "--no-checkout", "--quiet", "--", origin, tmp], {
      cwd: path.dirname(dir),
    });
    try {
      await rename(tmp, dir);
    } catch (error) {
      // Another process made it first; theirs serves as well.
      if (!(await isCloneOf(origin, dir))) throw error;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Puts the working copy in an attempt's state, whatever it held before (another attempt, a
 * crashed call's half-written files): HEAD at the base, files as in `from`.
 */
export async function openWorkingCopy(origin: string, dir: string, state: AttemptState): Promise<Workspace> {
  await ensureClone(origin, dir);
  await git(["checkout", "--force", "--quiet", "--detach", state.from], { cwd: dir });
  await git(["clean", "-f", "-f", "-d", "-x", "--quiet"], { cwd: dir });
  if (state.from !== state.base) await git(["reset", "--quiet", state.base], { cwd: dir });
  return { dir, baseCommit: state.base };
}

function snapshotMessage(base: string): string {
  return `DafnckMachine snapshot\n\nDm-Base: ${base}\n`;
}

/** The base an attempt's snapshot was taken against (a branch commit is its own base). */
export async function baseOf(origin: string, commit: string): Promise<string> {
  const { stdout } = await gitBare(origin, ["cat-file", "commit", commit]);
  return BASE_TRAILER.exec(stdout)?.[1] ?? commit;
}

export async function resolveCommit(origin: string, rev: string): Promise<string | null> {
  const { stdout, code } = await gitBare(origin, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
    okCodes: [1, 128],
  });
  return code === 0 ? stdout.trim() : null;
}

export async function treeOf(origin: string, commit: string): Promise<string> {
  const { stdout } = await gitBare(origin, ["rev-parse", `${commit}^{tree}`]);
  return stdout.trim();
}

/** A snapshot commit of `tree` on `parent` (the parent itself when nothing changed). */
async function snapshotCommit(origin: string, tree: string, parent: string, base: string): Promise<string> {
  if (tree === (await treeOf(origin, parent))) return parent;
  const { stdout } = await gitBare(origin, ["commit-tree", tree, "-p", parent, "-F", "-"], {
    input: snapshotMessage(base),
    env: SNAPSHOT_DATES,
  });
  return stdout.trim();
}

/**
 * Records the working tree (everything not ignored) as a snapshot on `parent`, its objects written
 * straight into the origin, and points `ref` at it there. Returns the snapshot's id.
 */
export async function snapshotWorkingCopy(
  origin: string,
  dir: string,
  state: AttemptState,
  ref: string,
): Promise<string> {
  const index = path.join(dir, ".git", `dm-snapshot-${randomUUID()}`);
  const env = {
    GIT_INDEX_FILE: index,
    GIT_OBJECT_DIRECTORY: path.join(origin, "objects"),
    GIT_ALTERNATE_OBJECT_DIRECTORIES: path.join(dir, ".git", "objects"),
  };
  try {
    await git(["read-tree", state.from], { cwd: dir, env });
    await git(["add", "--all", "--", "."], { cwd: dir, env });
    const { stdout } = await git(["write-tree"], { cwd: dir, env });
    const sha = await snapshotCommit(origin, stdout.trim(), state.from, state.base);
    await gitBare(origin, ["update-ref", ref, sha]);
    return sha;
  } finally {
    await rm(index, { force: true });
  }
}

/** Adds files to a snapshot without a working copy (plumbing in the origin). */
/** Whether a parent folder of `file` exists in `commit` as something other than a folder. */
async function blockedByNonFolder(origin: string, commit: string, file: string): Promise<boolean> {
  const parts = file.split("/").slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const dir = parts.slice(0, i).join("/");
    const { stdout } = await gitBare(origin, ["ls-tree", "--full-tree", commit, "--", dir]);
    const mode = stdout.split(" ")[0];
    if (!stdout.trim()) return false;
    if (mode !== "040000") return true;
  }
  return false;
}

export async function snapshotWithFiles(
  origin: string,
  state: AttemptState,
  files: { path: string; content: string }[],
  ref: string,
): Promise<string> {
  const env = { GIT_INDEX_FILE: path.join(origin, `dm-index-${randomUUID()}`) };
  try {
    await gitBare(origin, ["read-tree", state.from], { env });
    for (const file of files) {
      // A folder of the path that is a file or a symlink in the tree (an imported repository can
      // hold `docs -> /etc`) is not replaced: that document stays an artifact only.
      if (await blockedByNonFolder(origin, state.from, file.path)) continue;
      const { stdout: blob } = await gitBare(origin, ["hash-object", "-w", "--stdin"], {
        input: file.content,
      });
      await gitBare(origin, ["update-index", "--add", "--cacheinfo", `100644,${blob.trim()},${file.path}`], {
        env,
      });
    }
    const { stdout: tree } = await gitBare(origin, ["write-tree"], { env });
    const sha = await snapshotCommit(origin, tree.trim(), state.from, state.base);
    await gitBare(origin, ["update-ref", ref, sha]);
    return sha;
  } finally {
    await rm(env.GIT_INDEX_FILE, { force: true });
  }
}

/** A commit marking where a conflicted task starts again: the merge's tree, conflict markers and all. */
export async function conflictStart(
  origin: string,
  tree: string,
  head: string,
  snapshot: string,
  files: string[],
  ref: string,
): Promise<string> {
  // The base first, and names quoted: a file name can hold a newline, never a second base line.
  const message = `DafnckMachine merge conflict\n\nDm-Base: ${head}\n${files.map((f) => `Conflict: ${JSON.stringify(f)}`).join("\n")}\n`;
  const { stdout } = await gitBare(origin, ["commit-tree", tree, "-p", head, "-p", snapshot, "-F", "-"], {
    input: message,
    env: SNAPSHOT_DATES,
  });
  const sha = stdout.trim();
  await gitBare(origin, ["update-ref", ref, sha]);
  return sha;
}

/** The files a conflict start commit names. */
export async function conflictFilesOf(origin: string, commit: string): Promise<string[]> {
  const { stdout } = await gitBare(origin, ["cat-file", "commit", commit]);
  return [...stdout.matchAll(/^Conflict: (".*")$/gm)].flatMap((m) => {
    try {
      return [JSON.parse(m[1] as string) as string];
    } catch {
      return [];
    }
  });
}

import { randomUUID } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { assertGitAvailable, git, gitBare } from "./git";

export type InitialFile = { path: string; content: string };

/** The README a new project starts with: its name and brief. */
export function readmeFromBrief(name: string, brief: string): string {
  const body = brief.trim() || "_No brief yet._";
  return `# ${name.trim()}\n\n${body}\n\n---\nCreated by DafnckMachine. Runs work on branches named \`dm/<run>-<goal>\` and merge one commit per accepted task.\n`;
}

export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Writes files into a bare repository as one commit on `branch` with plumbing (no working tree). */
export async function commitFilesToBare(
  dir: string,
  branch: string,
  files: InitialFile[],
  message: string,
): Promise<string> {
  const entries: string[] = [];
  for (const f of files) {
    const { stdout } = await gitBare(dir, ["hash-object", "-w", "--stdin"], { input: f.content });
    entries.push(`100644 blob ${stdout.trim()}\t${f.path}`);
  }
  const { stdout: tree } = await gitBare(dir, ["mktree"], { input: `${entries.join("\n")}\n` });
  const { stdout: commit } = await gitBare(dir, ["commit-tree", tree.trim(), "-m", message]);
  const sha = commit.trim();
  await gitBare(dir, ["update-ref", `refs/heads/${branch}`, sha, ""]);
  return sha;
}

/**
 * Creates the origin of a new project: a bare repository whose default branch holds one commit
 * with the README. It is built in a temporary folder and renamed into place, so a crash leaves
 * either nothing or a complete repository, and two processes racing both end with the same one.
 * Returns false when the repository already existed.
 */
export async function initOrigin(
  dir: string,
  opts: { defaultBranch: string; files: InitialFile[] },
): Promise<boolean> {
  await assertGitAvailable();
  if (await exists(path.join(dir, "HEAD"))) return false;
  await mkdir(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${randomUUID()}`;
  try {
    await git(["init", "--bare", "--quiet", `--initial-branch=${opts.defaultBranch}`, tmp], {
      cwd: path.dirname(dir),
    });
    await commitFilesToBare(tmp, opts.defaultBranch, opts.files, "Initial commit");
    try {
      await rename(tmp, dir);
    } catch (error) {
      if (await exists(path.join(dir, "HEAD"))) return false;
      throw error;
    }
    return true;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

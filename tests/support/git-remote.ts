import { mkdtempSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { git, gitBare } from "@/lib/repos/git";

/**
 * A repository outside the app, standing in for a remote: a bare repository (`dir`) whose
 * `defaultBranch` holds `files` in one commit, plus `branches` pointing at the same commit.
 */
export async function makeUpstream(
  opts: { defaultBranch?: string; files?: Record<string, string>; branches?: string[]; empty?: boolean } = {},
): Promise<{ dir: string; head: string | null }> {
  const root = mkdtempSync(path.join(os.tmpdir(), "dm-upstream-"));
  const dir = path.join(root, "upstream.git");
  const branch = opts.defaultBranch ?? "main";
  await git(["init", "--bare", "--quiet", `--initial-branch=${branch}`, dir], { cwd: root });
  if (opts.empty) return { dir, head: null };
  const work = path.join(root, "work");
  await git(["init", "--quiet", `--initial-branch=${branch}`, work], { cwd: root });
  for (const [file, content] of Object.entries(opts.files ?? { "README.md": "# Upstream\n" })) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true });
    await writeFile(path.join(work, file), content);
  }
  await git(["add", "-A"], { cwd: work });
  await git(["commit", "--quiet", "-m", "Upstream commit"], { cwd: work });
  await git(["push", "--quiet", dir, `HEAD:refs/heads/${branch}`], { cwd: work });
  for (const b of opts.branches ?? [])
    await git(["push", "--quiet", dir, `HEAD:refs/heads/${b}`], { cwd: work });
  const { stdout } = await gitBare(dir, ["rev-parse", `refs/heads/${branch}`]);
  return { dir, head: stdout.trim() };
}

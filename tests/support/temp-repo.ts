import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { git } from "@/lib/repos/git";
import type { Workspace } from "@/lib/repos/tools/types";

/** A real git working tree in a temp folder, with `files` committed; `cleanup` removes it. */
export async function createTempRepo(
  files: Record<string, string | Buffer>,
  opts: { prefix?: string } = {},
): Promise<Workspace & { cleanup: () => Promise<void> }> {
  const dir = await realpath(await mkdtemp(path.join(tmpdir(), opts.prefix ?? "dm-repo-")));
  await git(["init", "-q", "-b", "main"], { cwd: dir });
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  await git(["add", "-A"], { cwd: dir });
  await git(["commit", "-q", "--allow-empty", "-m", "Initial commit"], { cwd: dir });
  const { stdout } = await git(["rev-parse", "HEAD"], { cwd: dir });
  return { dir, baseCommit: stdout.trim(), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

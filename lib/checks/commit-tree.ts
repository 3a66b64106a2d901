import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { gitBare } from "@/lib/repos/git";
import { worktreesDir } from "@/lib/repos/paths";

const uuid = /^[0-9a-f-]{36}$/;
const SHA = /^[0-9a-f]{40}$/;

/**
 * A fresh folder holding a commit's files, for checks: the tree exported with `git archive` (no
 * `.git`, so nothing a command writes can reach the origin or the app's git), under
 * `<WORKTREES_DIR>/<org>/<project>/checks/`. The caller removes it with `dispose`.
 */
export async function commitTree(
  origin: string,
  ids: { orgId: string; projectId: string },
  commit: string,
): Promise<{ dir: string; dispose: () => Promise<void> }> {
  if (!SHA.test(commit)) throw new Error("not a commit id");
  if (!uuid.test(ids.orgId) || !uuid.test(ids.projectId)) throw new Error("not an id");
  const dir = path.join(
    worktreesDir(),
    ids.orgId,
    ids.projectId,
    "checks",
    `${commit.slice(0, 12)}-${randomUUID()}`,
  );
  await mkdir(dir, { recursive: true });
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await extract(origin, commit, dir);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dir, dispose };
}

async function extract(origin: string, commit: string, dir: string): Promise<void> {
  // The archive goes to a file beside the folder, then tar reads it: no pipe for tar to close
  // early (it stops at the end-of-archive marker, before git's padding).
  const archive = `${dir}.tar`;
  try {
    await gitBare(origin, ["archive", "--format=tar", `--output=${archive}`, commit], { timeoutMs: 120_000 });
    await new Promise<void>((resolve, reject) => {
      // Members are repository paths (git refuses absolute ones and `..`); symlinks stay symlinks.
      const tar = spawn("tar", ["-x", "--no-same-owner", "--no-same-permissions", "-f", archive, "-C", dir], {
        stdio: ["ignore", "ignore", "pipe"],
        env: { PATH: "/usr/bin:/bin" } as unknown as NodeJS.ProcessEnv,
      });
      let stderr = "";
      tar.stderr.on("data", (d: Buffer) => {
        if (stderr.length < 4000) stderr += d.toString();
      });
      tar.on("error", reject);
      tar.on("close", (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`Extracting ${commit.slice(0, 12)} failed: ${stderr.trim()}`)),
      );
    });
  } finally {
    await rm(archive, { force: true });
  }
}

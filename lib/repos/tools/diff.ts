import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { git } from "@/lib/repos/git";
import { confine, isRefusal, type Refusal } from "./confine";
import { MAX_DIFF_CHARS } from "./limits";
import type { RepoToolInput } from "./schemas";
import type { Workspace } from "./types";

export type DiffResult = {
  /** One line per changed file: status, lines added and removed. */
  files: { path: string; added: number | null; removed: number | null }[];
  patch: string;
  note?: string;
};

/**
 * Runs `fn` with a throwaway copy of the index that holds every change of the working tree
 * (new files included, ignored files not), so diffs see what a commit would, and the task's real
 * index is left alone.
 */
export async function withWorkingTreeIndex<T>(dir: string, fn: (env: Record<string, string>) => Promise<T>) {
  const tmp = await mkdtemp(path.join(tmpdir(), "dm-index-"));
  try {
    const { stdout } = await git(["rev-parse", "--path-format=absolute", "--git-path", "index"], {
      cwd: dir,
    });
    const index = path.join(tmp, "index");
    await copyFile(stdout.trim(), index).catch(() => undefined);
    const env = { GIT_INDEX_FILE: index };
    await git(["add", "-A", "--", "."], { cwd: dir, env });
    return await fn(env);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export async function diffWorkspace(
  ws: Workspace,
  input: RepoToolInput<"diff">,
): Promise<DiffResult | Refusal> {
  const target = await confine(ws.dir, input.path ?? "", "read", { allowRoot: true });
  if (isRefusal(target)) return target;
  const spec = ["--", target.rel || "."];
  return withWorkingTreeIndex(target.root, async (env) => {
    const base = ["diff", "--cached", "-M", "--no-color", "--no-ext-diff", "--no-textconv", ws.baseCommit];
    const [{ stdout: numstat }, { stdout: patch }] = await Promise.all([
      git([...base, "--numstat", "-z", ...spec], { cwd: target.root, env }),
      git([...base, ...spec], { cwd: target.root, env }),
    ]);
    const files = parseNumstat(numstat);
    if (!files.length)
      return { files, patch: "", note: "No changes yet against the task's starting commit." };
    const cut = patch.length > MAX_DIFF_CHARS;
    return {
      files,
      patch: cut ? patch.slice(0, MAX_DIFF_CHARS) : patch,
      ...(cut
        ? { note: `The patch is cut at ${MAX_DIFF_CHARS} characters; call diff with a path to see one file.` }
        : {}),
    };
  });
}

/** `--numstat -z`: "added\tremoved\tpath\0", or for a rename "added\tremoved\t\0from\0to\0". */
function parseNumstat(out: string): DiffResult["files"] {
  const parts = out.split("\0");
  const files: DiffResult["files"] = [];
  for (let i = 0; i < parts.length; i++) {
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/.exec(parts[i] ?? "");
    if (!m) continue;
    let file = m[3] ?? "";
    if (!file) {
      file = `${parts[i + 1]} → ${parts[i + 2]}`;
      i += 2;
    }
    const num = (s: string | undefined) => (s === "-" || s === undefined ? null : Number(s));
    files.push({ path: file, added: num(m[1]), removed: num(m[2]) });
  }
  return files;
}

import { lstat } from "node:fs/promises";
import path from "node:path";
import { git } from "@/lib/repos/git";
import { confine, isRefusal, type Refusal } from "./confine";
import { DEFAULT_LIST_DEPTH, MAX_LIST_ENTRIES } from "./limits";
import type { RepoToolInput } from "./schemas";
import { formatBytes } from "./text";
import type { Workspace } from "./types";

export type ListFilesResult = {
  path: string;
  totalFiles: number;
  totalBytes: number;
  /** One line per file (path and size) or per summarized folder. */
  listing: string;
  note?: string;
};

/** Files git would see in the working tree: tracked and untracked, minus what .gitignore ignores. */
export async function workingTreeFiles(dir: string, sub = ""): Promise<string[]> {
  const { stdout } = await git(["ls-files", "-co", "--exclude-standard", "-z", "--", sub || "."], {
    cwd: dir,
  });
  return [...new Set(stdout.split("\0").filter(Boolean))];
}

/** Sizes of the files that still exist (a deleted tracked file stays in the index until commit). */
export async function statFiles(root: string, files: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const batch = 256;
  for (let i = 0; i < files.length; i += batch) {
    await Promise.all(
      files.slice(i, i + batch).map(async (f) => {
        const s = await lstat(path.join(root, f)).catch(() => null);
        if (s && !s.isDirectory()) sizes.set(f, s.size);
      }),
    );
  }
  return sizes;
}

export async function listFiles(
  ws: Workspace,
  input: RepoToolInput<"list_files">,
): Promise<ListFilesResult | Refusal> {
  const target = await confine(ws.dir, input.path ?? "", "read", { allowRoot: true });
  if (isRefusal(target)) return target;
  const stat = await lstat(target.abs).catch(() => null);
  if (!stat)
    return { error: `"${target.rel}" does not exist; call list_files without a path to see the tree.` };
  const depth = input.depth ?? DEFAULT_LIST_DEPTH;
  const sizes = await statFiles(target.root, await workingTreeFiles(target.root, target.rel));
  const prefix = target.rel && stat.isDirectory() ? `${target.rel}/` : "";

  const files: { name: string; size: number }[] = [];
  const folders = new Map<string, { count: number; size: number }>();
  let totalBytes = 0;
  for (const [file, size] of [...sizes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    totalBytes += size;
    const parts = file.slice(prefix.length).split("/");
    if (parts.length <= depth) {
      files.push({ name: file, size });
      continue;
    }
    const folder = `${prefix}${parts.slice(0, depth).join("/")}/`;
    const f = folders.get(folder) ?? { count: 0, size: 0 };
    f.count += 1;
    f.size += size;
    folders.set(folder, f);
  }
  const lines = [
    ...files.map((f) => ({ key: f.name, text: `${f.name}  ${formatBytes(f.size)}` })),
    ...[...folders].map(([name, f]) => ({
      key: name,
      text: `${name}  (${f.count} file${f.count === 1 ? "" : "s"}, ${formatBytes(f.size)}; list it with path "${name.slice(0, -1)}")`,
    })),
  ].sort((a, b) => (a.key < b.key ? -1 : 1));
  const shown = lines.slice(0, MAX_LIST_ENTRIES);
  const more = lines.length - shown.length;
  return {
    path: target.rel || ".",
    totalFiles: sizes.size,
    totalBytes,
    listing: shown.map((l) => l.text).join("\n") || "(no files)",
    ...(more > 0
      ? { note: `${more} more entries not shown; list a sub-folder with path, or lower depth.` }
      : {}),
  };
}

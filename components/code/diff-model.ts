import { type DiffType, type FileData, parseDiff } from "react-diff-view";
import type { ChangedFile, FileStatus } from "@/lib/repos/read/diff-parse";

export type DiffEntry = {
  file: ChangedFile;
  /** The file's hunks from the patch; empty for binary files, pure renames and cut-off patches. */
  hunks: FileData["hunks"];
  diffType: DiffType;
  /** Element id of the file's section, for the file list's links. */
  anchor: string;
};

const DIFF_TYPE: Record<FileStatus, DiffType> = {
  added: "add",
  deleted: "delete",
  modified: "modify",
  renamed: "rename",
  copied: "copy",
  type_changed: "modify",
};

/** A stable, id-safe anchor for a path. */
export function fileAnchor(path: string): string {
  let hash = 0;
  for (let i = 0; i < path.length; i++) hash = (hash * 31 + path.charCodeAt(i)) | 0;
  const readable = path.replace(/[^A-Za-z0-9_-]+/g, "-").slice(-60);
  return `diff-${readable}-${(hash >>> 0).toString(36)}`;
}

/**
 * Pairs the server's file list (status and line counts from git) with the hunks parsed from the
 * unified patch. The list is the source of truth: a file whose hunks were cut off still shows.
 */
export function buildDiffEntries(files: ChangedFile[], patch: string): DiffEntry[] {
  const parsed = patch ? parseDiff(patch, { nearbySequences: "zip" }) : [];
  const byPath = new Map<string, FileData>();
  for (const p of parsed) byPath.set(p.newPath === "/dev/null" ? p.oldPath : p.newPath, p);
  return files.map((file) => ({
    file,
    hunks: byPath.get(file.path)?.hunks ?? [],
    diffType: DIFF_TYPE[file.status],
    anchor: fileAnchor(file.path),
  }));
}

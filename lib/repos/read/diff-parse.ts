/** Pure parsers for git's diff output (kept apart from the git calls so they are unit-tested). */

export type FileStatus = "added" | "modified" | "deleted" | "renamed" | "copied" | "type_changed";

export type ChangedFile = {
  path: string;
  /** The path before a rename or copy. */
  oldPath: string | null;
  status: FileStatus;
  /** Null for binary files (git counts no lines). */
  additions: number | null;
  deletions: number | null;
  binary: boolean;
};

const STATUS: Record<string, FileStatus> = {
  A: "added",
  M: "modified",
  D: "deleted",
  R: "renamed",
  C: "copied",
  T: "type_changed",
};

/** `git diff-tree -z --name-status` output: `X\0path\0`, or `R<score>\0old\0new\0` for renames and copies. */
export function parseNameStatusZ(
  out: string,
): { status: FileStatus; path: string; oldPath: string | null }[] {
  const parts = out.split("\0");
  const files: { status: FileStatus; path: string; oldPath: string | null }[] = [];
  let i = 0;
  while (i < parts.length) {
    const code = parts[i] ?? "";
    if (code === "") {
      i++;
      continue;
    }
    const letter = code[0] ?? "";
    const status = STATUS[letter] ?? "modified";
    if (letter === "R" || letter === "C") {
      files.push({ status, oldPath: parts[i + 1] ?? "", path: parts[i + 2] ?? "" });
      i += 3;
    } else {
      files.push({ status, oldPath: null, path: parts[i + 1] ?? "" });
      i += 2;
    }
  }
  return files;
}

/**
 * `git diff-tree -z --numstat` output: `add\tdel\tpath\0`, or `add\tdel\t\0old\0new\0` for a rename;
 * `-\t-\t` marks a binary file. Keyed by the new path.
 */
export function parseNumstatZ(
  out: string,
): Map<string, { additions: number | null; deletions: number | null }> {
  const parts = out.split("\0");
  const stats = new Map<string, { additions: number | null; deletions: number | null }>();
  let i = 0;
  while (i < parts.length) {
    const head = parts[i] ?? "";
    if (head === "") {
      i++;
      continue;
    }
    const [add = "-", del = "-", inlinePath = ""] = head.split("\t");
    const count = (s: string) => (s === "-" ? null : Number(s));
    let path = inlinePath;
    if (inlinePath === "") {
      path = parts[i + 2] ?? "";
      i += 3;
    } else {
      i += 1;
    }
    stats.set(path, { additions: count(add), deletions: count(del) });
  }
  return stats;
}

export function mergeFileStats(
  names: ReturnType<typeof parseNameStatusZ>,
  stats: ReturnType<typeof parseNumstatZ>,
): ChangedFile[] {
  return names.map((f) => {
    const s = stats.get(f.path);
    const binary = !!s && s.additions === null && s.deletions === null;
    return { ...f, additions: s?.additions ?? null, deletions: s?.deletions ?? null, binary };
  });
}

/**
 * Cuts a unified patch to at most `maxBytes`, at a file boundary (`diff --git` line), so what is
 * left still parses. Returns whether anything was cut.
 */
export function capPatch(patch: string, maxBytes: number): { patch: string; truncated: boolean } {
  if (Buffer.byteLength(patch) <= maxBytes) return { patch, truncated: false };
  const head = Buffer.from(patch).subarray(0, maxBytes).toString("utf8");
  const cut = head.lastIndexOf("\ndiff --git ");
  return { patch: cut > 0 ? head.slice(0, cut + 1) : "", truncated: true };
}

/** Totals for a file list (binary files count as changed files with no lines). */
export function diffTotals(files: ChangedFile[]) {
  return files.reduce(
    (t, f) => ({
      files: t.files + 1,
      additions: t.additions + (f.additions ?? 0),
      deletions: t.deletions + (f.deletions ?? 0),
    }),
    { files: 0, additions: 0, deletions: 0 },
  );
}

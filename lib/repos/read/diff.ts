import "server-only";
import { gitBare } from "../git";
import {
  type ChangedFile,
  capPatch,
  diffTotals,
  mergeFileStats,
  parseNameStatusZ,
  parseNumstatZ,
} from "./diff-parse";

/** A diff is shown up to this size; bigger ones are cut at a file boundary (and say so). */
export const MAX_PATCH_BYTES = 4 * 1024 * 1024;

export type TreeDiff = {
  files: ChangedFile[];
  totals: { files: number; additions: number; deletions: number };
  /** Unified patch of every text file (`diff --git` format), possibly truncated. */
  patch: string;
  truncated: boolean;
};

/**
 * The changes from commit `from` to commit `to` (both full ids already resolved), with renames
 * detected. `from` null: `to` is a root commit, compared with the empty tree.
 */
export async function diffCommits(origin: string, from: string | null, to: string): Promise<TreeDiff> {
  const range = from ? [from, to] : ["--root", to];
  const common = ["diff-tree", "-r", "-M", "--no-commit-id", "--no-color", "--no-ext-diff", "--no-textconv"];
  const [names, stats, patch] = await Promise.all([
    gitBare(origin, [...common, "-z", "--name-status", ...range]),
    gitBare(origin, [...common, "-z", "--numstat", ...range]),
    gitBare(origin, [...common, "-p", "--full-index", ...range], { maxBuffer: 256 * 1024 * 1024 }),
  ]);
  const files = mergeFileStats(parseNameStatusZ(names.stdout), parseNumstatZ(stats.stdout));
  return { files, totals: diffTotals(files), ...capPatch(patch.stdout, MAX_PATCH_BYTES) };
}

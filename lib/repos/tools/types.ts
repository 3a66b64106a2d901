/**
 * The contract between an agent's repository tools and the run that hosts them. The tools work on
 * one working tree (a task's), never outside it; the run tells the feed what changed.
 */

/** The repository tools an agent may be granted, in the order they are offered. */
export const REPO_TOOL_NAMES = [
  "list_files",
  "read_file",
  "search_code",
  "write_file",
  "edit_file",
  "delete_file",
  "move_file",
  "diff",
] as const;
export type RepoToolName = (typeof REPO_TOOL_NAMES)[number];

/** Tools that only read; an agent without write access gets these alone. */
export const READ_ONLY_REPO_TOOLS: readonly RepoToolName[] = [
  "list_files",
  "read_file",
  "search_code",
  "diff",
];

/** A task's working tree: a checkout whose HEAD is `baseCommit` (what `diff` compares against). */
export type Workspace = { dir: string; baseCommit: string };

/** One change a write tool made, reported to the run's feed as a `file.changed` event. */
export type RepoFileChange = {
  change: "added" | "modified" | "deleted" | "moved";
  /** Repository-relative POSIX path (the new path for a move). */
  path: string;
  /** The old path of a move. */
  from?: string;
  added: number;
  removed: number;
};

export type RepoToolOptions = {
  /** Called after each successful write, before the tool answers the model. */
  onChange?: (change: RepoFileChange) => Promise<void> | void;
};

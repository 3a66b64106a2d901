import { type Tool, tool } from "ai";
import { GitError } from "@/lib/repos/git";
import { isRefusal } from "./confine";
import { diffWorkspace } from "./diff";
import { listFiles } from "./list-files";
import { readFile } from "./read-file";
import { repoToolDescriptions, repoToolInputSchemas } from "./schemas";
import { searchCode } from "./search-code";
import type { RepoToolName, RepoToolOptions, Workspace } from "./types";
import { deleteRepoFile, editRepoFile, moveRepoFile, type WriteResult, writeRepoFile } from "./write-tools";

export { checkPathText, confine, isRefusal, type Refusal } from "./confine";
export { type RepoToolInput, repoToolDescriptions, repoToolInputSchemas } from "./schemas";
export * from "./types";

/** Reports a write to the run (outside the guard: a failing report must fail the step, not the tool). */
async function reported(opts: RepoToolOptions, result: WriteResult | { error: string }) {
  if (!isRefusal(result) && !result.unchanged) {
    const { note: _note, unchanged: _unchanged, ...change } = result;
    await opts.onChange?.(change);
  }
  return result;
}

/** An unexpected failure becomes an answer too, so one bad call does not end the agent's turn. */
async function guarded<T>(name: RepoToolName, run: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await run();
  } catch (error) {
    const why =
      error instanceof GitError
        ? error.message
        : error instanceof Error && "code" in error
          ? `${(error as NodeJS.ErrnoException).code}`
          : "an unexpected error";
    return { error: `${name} failed: ${why}. Try again or use another tool.` };
  }
}

/**
 * The repository tools of one agent on one working tree. Every path is confined to `ws.dir`;
 * each write is reported through `opts.onChange` before the model gets the answer.
 */
export function createRepoTools(ws: Workspace, opts: RepoToolOptions = {}): Record<RepoToolName, Tool> {
  return {
    list_files: tool({
      description: repoToolDescriptions.list_files,
      inputSchema: repoToolInputSchemas.list_files,
      execute: (input) => guarded("list_files", () => listFiles(ws, input)),
    }),
    read_file: tool({
      description: repoToolDescriptions.read_file,
      inputSchema: repoToolInputSchemas.read_file,
      execute: (input) => guarded("read_file", () => readFile(ws, input)),
    }),
    search_code: tool({
      description: repoToolDescriptions.search_code,
      inputSchema: repoToolInputSchemas.search_code,
      execute: (input) => guarded("search_code", () => searchCode(ws, input)),
    }),
    write_file: tool({
      description: repoToolDescriptions.write_file,
      inputSchema: repoToolInputSchemas.write_file,
      execute: async (input) => reported(opts, await guarded("write_file", () => writeRepoFile(ws, input))),
    }),
    edit_file: tool({
      description: repoToolDescriptions.edit_file,
      inputSchema: repoToolInputSchemas.edit_file,
      execute: async (input) => reported(opts, await guarded("edit_file", () => editRepoFile(ws, input))),
    }),
    delete_file: tool({
      description: repoToolDescriptions.delete_file,
      inputSchema: repoToolInputSchemas.delete_file,
      execute: async (input) => reported(opts, await guarded("delete_file", () => deleteRepoFile(ws, input))),
    }),
    move_file: tool({
      description: repoToolDescriptions.move_file,
      inputSchema: repoToolInputSchemas.move_file,
      execute: async (input) => reported(opts, await guarded("move_file", () => moveRepoFile(ws, input))),
    }),
    diff: tool({
      description: repoToolDescriptions.diff,
      inputSchema: repoToolInputSchemas.diff,
      execute: (input) => guarded("diff", () => diffWorkspace(ws, input)),
    }),
  };
}

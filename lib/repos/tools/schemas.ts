import { z } from "zod";
import type { RepoToolName } from "./types";

/**
 * Input schemas and descriptions of the repository tools: pure (no file system), shared by the
 * agent catalog, prompts, the demo model and the tools themselves.
 */

const filePath = z
  .string()
  .min(1, "Give a path relative to the repository root, e.g. src/index.ts.")
  .max(4096)
  .describe("Path relative to the repository root, with forward slashes, e.g. src/index.ts.");

export const repoToolInputSchemas = {
  list_files: z.object({
    path: z
      .string()
      .max(4096)
      .optional()
      .describe("A folder to list, relative to the repository root; the whole repository when omitted."),
    depth: z
      .number()
      .int()
      .min(1)
      .max(20)
      .optional()
      .describe("How many folder levels to show file by file; deeper folders are summarized. Default 3."),
  }),
  read_file: z.object({
    path: filePath,
    startLine: z.number().int().min(1).optional().describe("First line to read (1-based). Default 1."),
    endLine: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Last line to read, inclusive. Default: as much as fits."),
  }),
  search_code: z.object({
    pattern: z.string().min(1, "Give the text or regular expression to search for.").max(1000),
    regex: z
      .boolean()
      .optional()
      .describe("Treat the pattern as an extended regular expression; a plain string when false (default)."),
    ignoreCase: z.boolean().optional(),
    path: z.string().max(4096).optional().describe("Only search under this folder or file."),
    context: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe("Lines of context around each match. Default 2."),
    maxMatches: z
      .number()
      .int()
      .min(1)
      .max(200)
      .optional()
      .describe("Stop after this many matches. Default 50."),
  }),
  write_file: z.object({
    path: filePath,
    content: z.string().describe("The complete file content (not a fragment or a diff)."),
  }),
  edit_file: z.object({
    path: filePath,
    oldText: z
      .string()
      .min(1, "Give the exact text to replace, copied from read_file.")
      .describe(
        "Exact text to replace; it must occur exactly once in the file (include surrounding lines to make it unique).",
      ),
    newText: z.string().describe("The replacement text."),
  }),
  delete_file: z.object({ path: filePath }),
  move_file: z.object({
    from: filePath.describe("The file to move or rename."),
    to: filePath.describe("Its new path; must not exist yet."),
  }),
  diff: z.object({
    path: z.string().max(4096).optional().describe("Only show changes under this folder or file."),
  }),
} as const satisfies Record<RepoToolName, z.ZodType>;

export type RepoToolInput<T extends RepoToolName> = z.infer<(typeof repoToolInputSchemas)[T]>;

export const repoToolDescriptions: Record<RepoToolName, string> = {
  list_files:
    "List the repository's files (what .gitignore ignores is hidden) with their sizes, optionally under a folder and to a depth.",
  read_file:
    "Read a text file of the repository, or a range of its lines (startLine/endLine); long files are cut, with a note on how to read on.",
  search_code:
    "Search the repository's text files (git grep) for a string or regular expression; returns matching lines with line numbers and context.",
  write_file:
    "Create a file or replace its whole content (up to 1 MB). Parent folders are created. Prefer edit_file to change part of an existing file.",
  edit_file:
    "Replace one exact piece of text in an existing file with new text. oldText must match exactly once; copy it from read_file, with enough lines to be unique.",
  delete_file: "Delete a file from the working tree.",
  move_file: "Move or rename a file; the destination must not exist.",
  diff: "Show the changes made in this task so far (against the task's starting commit), new files included.",
};

import { open, stat } from "node:fs/promises";
import { confine, isRefusal, type Refusal } from "./confine";
import { MAX_FILE_BYTES, MAX_READ_CHARS } from "./limits";
import type { RepoToolInput } from "./schemas";
import { formatBytes, looksBinary } from "./text";
import type { Workspace } from "./types";

export type ReadFileResult = {
  path: string;
  startLine: number;
  endLine: number;
  totalLines: number;
  /** Lines `startLine` to `endLine`, exactly as in the file (line ends included). */
  content: string;
  note?: string;
};

/** Loads a text file inside the tree, or says why not (missing, folder, binary, too large). */
export async function loadTextFile(abs: string, rel: string): Promise<string | Refusal> {
  const s = await stat(abs).catch(() => null);
  if (!s) return { error: `"${rel}" does not exist; use list_files or search_code to find the right path.` };
  if (s.isDirectory()) return { error: `"${rel}" is a folder; use list_files with path "${rel}".` };
  if (!s.isFile()) return { error: `"${rel}" is not a regular file.` };
  if (s.size > MAX_FILE_BYTES) {
    return {
      error: `"${rel}" is ${formatBytes(s.size)}, over the ${formatBytes(MAX_FILE_BYTES)} the tools load; use search_code to find what you need in it.`,
    };
  }
  const handle = await open(abs, "r");
  try {
    const buf = await handle.readFile();
    if (looksBinary(buf))
      return { error: `"${rel}" is a binary file (${formatBytes(buf.length)}); it cannot be read as text.` };
    return buf.toString("utf8");
  } finally {
    await handle.close();
  }
}

export async function readFile(
  ws: Workspace,
  input: RepoToolInput<"read_file">,
): Promise<ReadFileResult | Refusal> {
  const target = await confine(ws.dir, input.path, "read");
  if (isRefusal(target)) return target;
  const text = await loadTextFile(target.abs, target.rel);
  if (typeof text !== "string") return text;
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  const totalLines = lines.length;
  const start = input.startLine ?? 1;
  if (totalLines === 0) return { path: target.rel, startLine: 1, endLine: 0, totalLines, content: "" };
  if (start > totalLines) {
    return { error: `"${target.rel}" has ${totalLines} lines; startLine ${start} is past the end.` };
  }
  const requestedEnd = Math.min(input.endLine ?? totalLines, totalLines);
  if (requestedEnd < start) return { error: `endLine (${requestedEnd}) is before startLine (${start}).` };
  let end = start - 1;
  let size = 0;
  while (end < requestedEnd) {
    const next = (lines[end] ?? "").length + 1;
    if (size + next > MAX_READ_CHARS && end >= start) break;
    size += next;
    end += 1;
  }
  // The exact text of the lines, each with its line end (the last line of the file as it is).
  let content =
    lines.slice(start - 1, end).join("\n") + (end < totalLines || text.endsWith("\n") ? "\n" : "");
  let note: string | undefined;
  if (content.length > MAX_READ_CHARS) {
    content = content.slice(0, MAX_READ_CHARS);
    note = `Line ${start} is longer than ${MAX_READ_CHARS} characters and was cut.`;
  } else if (end < requestedEnd) {
    note = `Showing lines ${start}-${end} of ${totalLines} (size cap); call read_file with startLine ${end + 1} to read on.`;
  }
  return { path: target.rel, startLine: start, endLine: end, totalLines, content, ...(note ? { note } : {}) };
}

import { lstat, mkdir, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Confined, confine, isRefusal, type Refusal } from "./confine";
import { MAX_WRITE_BYTES } from "./limits";
import { loadTextFile } from "./read-file";
import type { RepoToolInput } from "./schemas";
import { countLines, formatBytes, lineChanges } from "./text";
import type { RepoFileChange, Workspace } from "./types";

/** What a write tool answers the model; `unchanged` when the write changed nothing (no event). */
export type WriteResult = RepoFileChange & { note?: string; unchanged?: true };

const report = (change: RepoFileChange): WriteResult => change;

/** Makes the parent folders of a confined path, or says which part of the way is a file. */
async function ensureParent(target: Confined): Promise<Refusal | null> {
  const parent = path.dirname(target.abs);
  const s = await stat(parent).catch(() => null);
  if (s?.isDirectory()) return null;
  try {
    await mkdir(parent, { recursive: true });
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR" || code === "EEXIST") {
      return { error: `A part of "${target.rel}" is a file, not a folder; choose another path.` };
    }
    throw error;
  }
}

const tooLarge = (rel: string, bytes: number): Refusal => ({
  error: `The content for "${rel}" is ${formatBytes(bytes)}; writes are limited to ${formatBytes(MAX_WRITE_BYTES)}. Split it into smaller files.`,
});

export async function writeRepoFile(
  ws: Workspace,
  input: RepoToolInput<"write_file">,
): Promise<WriteResult | Refusal> {
  const target = await confine(ws.dir, input.path, "write");
  if (isRefusal(target)) return target;
  const bytes = Buffer.byteLength(input.content, "utf8");
  if (bytes > MAX_WRITE_BYTES) return tooLarge(target.rel, bytes);
  const existing = await lstat(target.abs).catch(() => null);
  if (existing?.isDirectory()) {
    return {
      error: `"${target.rel}" is a folder; give a file path inside it, e.g. "${target.rel}/index.ts".`,
    };
  }
  let before = "";
  if (existing) {
    const text = await loadTextFile(target.abs, target.rel);
    // Replacing a binary or huge file counts every old line as removed only when readable.
    before = typeof text === "string" ? text : "";
  }
  const parentRefusal = await ensureParent(target);
  if (parentRefusal) return parentRefusal;
  if (existing && before === input.content) {
    return {
      change: "modified",
      path: target.rel,
      added: 0,
      removed: 0,
      unchanged: true,
      note: "The file already had this content; nothing changed.",
    };
  }
  await writeFile(target.abs, input.content, "utf8");
  const counts = existing
    ? lineChanges(before, input.content)
    : { added: countLines(input.content), removed: 0 };
  return report({ change: existing ? "modified" : "added", path: target.rel, ...counts });
}

/** Lines (1-based) where `needle` starts in `text`. */
function occurrences(text: string, needle: string): number[] {
  const lines: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
    lines.push(text.slice(0, at).split("\n").length);
  }
  return lines;
}

/** For a failed match: where the first line of oldText appears, ignoring indentation. */
function nearMiss(text: string, oldText: string): string {
  const first = oldText
    .split("\n")
    .find((l) => l.trim())
    ?.trim();
  if (!first) return "oldText is only whitespace.";
  const lines = text.split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(first) ? [i + 1] : []));
  if (!hits.length)
    return "Its first line does not occur in the file either; read the file again with read_file and copy the text exactly.";
  const at = hits[0] as number;
  const around = lines
    .slice(Math.max(0, at - 2), at + 3)
    .map((l, i) => `${Math.max(1, at - 1) + i}: ${l}`)
    .join("\n");
  return `Its first line occurs at line ${hits.slice(0, 5).join(", ")}, so the rest differs (whitespace, indentation or later lines). Around line ${at}:\n${around}`;
}

export async function editRepoFile(
  ws: Workspace,
  input: RepoToolInput<"edit_file">,
): Promise<WriteResult | Refusal> {
  const target = await confine(ws.dir, input.path, "write");
  if (isRefusal(target)) return target;
  if (!input.oldText)
    return { error: "oldText is empty; give the exact text to replace, or use write_file." };
  if (input.oldText === input.newText)
    return { error: "oldText and newText are the same; nothing to change." };
  const before = await loadTextFile(target.abs, target.rel);
  if (typeof before !== "string") return before;
  let oldText = input.oldText;
  let newText = input.newText;
  let hits = occurrences(before, oldText);
  // A model writes "\n"; a file with Windows line ends has "\r\n".
  if (!hits.length && before.includes("\r\n") && !oldText.includes("\r\n")) {
    oldText = oldText.replace(/\n/g, "\r\n");
    newText = newText.replace(/\r?\n/g, "\r\n");
    hits = occurrences(before, oldText);
  }
  if (hits.length === 0) {
    return { error: `oldText was not found in "${target.rel}". ${nearMiss(before, input.oldText)}` };
  }
  if (hits.length > 1) {
    return {
      error: `oldText matches ${hits.length} times in "${target.rel}" (at lines ${hits.slice(0, 10).join(", ")}); include more surrounding lines so it matches exactly once.`,
    };
  }
  const at = before.indexOf(oldText);
  const after = before.slice(0, at) + newText + before.slice(at + oldText.length);
  const bytes = Buffer.byteLength(after, "utf8");
  if (bytes > MAX_WRITE_BYTES) return tooLarge(target.rel, bytes);
  await writeFile(target.abs, after, "utf8");
  return report({ change: "modified", path: target.rel, ...lineChanges(before, after) });
}

export async function deleteRepoFile(
  ws: Workspace,
  input: RepoToolInput<"delete_file">,
): Promise<WriteResult | Refusal> {
  const target = await confine(ws.dir, input.path, "entry");
  if (isRefusal(target)) return target;
  const s = await lstat(target.abs).catch(() => null);
  if (!s) return { error: `"${target.rel}" does not exist; use list_files to see the tree.` };
  if (s.isDirectory()) return { error: `"${target.rel}" is a folder; delete its files one by one.` };
  let removed = 0;
  if (s.isFile()) {
    const text = await loadTextFile(target.abs, target.rel);
    removed = typeof text === "string" ? countLines(text) : 0;
  }
  await unlink(target.abs);
  return report({ change: "deleted", path: target.rel, added: 0, removed });
}

export async function moveRepoFile(
  ws: Workspace,
  input: RepoToolInput<"move_file">,
): Promise<WriteResult | Refusal> {
  const from = await confine(ws.dir, input.from, "entry");
  if (isRefusal(from)) return from;
  const to = await confine(ws.dir, input.to, "write");
  if (isRefusal(to)) return to;
  if (from.rel === to.rel) return { error: "from and to are the same path." };
  const s = await lstat(from.abs).catch(() => null);
  if (!s) return { error: `"${from.rel}" does not exist; use list_files to see the tree.` };
  if (s.isDirectory()) return { error: `"${from.rel}" is a folder; move its files one by one.` };
  if (await lstat(to.abs).catch(() => null)) {
    return { error: `"${to.rel}" already exists; delete it first or choose another destination.` };
  }
  const parentRefusal = await ensureParent(to);
  if (parentRefusal) return parentRefusal;
  await rename(from.abs, to.abs);
  return report({ change: "moved", path: to.rel, from: from.rel, added: 0, removed: 0 });
}

import { diffLines } from "diff";

/** Shared text helpers of the repository tools. */

export function countLines(text: string): number {
  if (!text) return 0;
  const n = text.split("\n").length;
  return text.endsWith("\n") ? n - 1 : n;
}

/** Lines added and removed between two versions (a Myers line diff, bounded in time). */
export function lineChanges(before: string, after: string): { added: number; removed: number } {
  if (before === after) return { added: 0, removed: 0 };
  const changes = diffLines(before, after, { timeout: 1000 });
  if (!changes) return { added: countLines(after), removed: countLines(before) };
  let added = 0;
  let removed = 0;
  for (const c of changes) {
    if (c.added) added += c.count;
    else if (c.removed) removed += c.count;
  }
  return { added, removed };
}

/** Text is what git calls text: no NUL byte in the first 8000 bytes. */
export const looksBinary = (buf: Buffer) => buf.subarray(0, 8000).includes(0);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

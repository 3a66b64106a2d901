import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { git } from "@/lib/repos/git";

/** A file to write (string or bytes) or, with `null`, to delete; `rename` moves one first. */
export type FileChange = { path: string; content: string | Uint8Array | null } | { rename: [string, string] };

/**
 * Commits `changes` on `branch` of a bare origin the way a run's agent would (a clone, a commit
 * with the given author and trailers, a push), and returns the commit id. `from` starts a new
 * branch at that commit.
 */
export async function commitToOrigin(
  origin: string,
  opts: {
    branch: string;
    from?: string;
    changes: FileChange[];
    message: string;
    author?: { name: string; email: string };
    trailers?: Record<string, string>;
  },
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dm-commit-"));
  try {
    await git(["clone", "--quiet", "--no-checkout", origin, dir], { cwd: os.tmpdir() });
    const run = (args: string[], env?: Record<string, string>) => git(args, { cwd: dir, env });
    if (opts.from) await run(["checkout", "--quiet", "-b", opts.branch, opts.from]);
    else await run(["checkout", "--quiet", opts.branch]);
    for (const change of opts.changes) {
      if ("rename" in change) {
        await run(["mv", "--", change.rename[0], change.rename[1]]);
        continue;
      }
      const file = path.join(dir, change.path);
      if (change.content === null) {
        await run(["rm", "--quiet", "--", change.path]);
        continue;
      }
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, change.content);
      await run(["add", "--", change.path]);
    }
    const trailers = Object.entries(opts.trailers ?? {}).map(([k, v]) => `${k}: ${v}`);
    const message = trailers.length ? `${opts.message}\n\n${trailers.join("\n")}\n` : opts.message;
    const author = opts.author ?? { name: "Test Author", email: "author@example.test" };
    await run(["commit", "--quiet", "-m", message], {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
    });
    await run(["push", "--quiet", "origin", `HEAD:refs/heads/${opts.branch}`]);
    const { stdout } = await run(["rev-parse", "HEAD"]);
    return stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readStream(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** File names in a zip, from its central directory (enough to check an archive's listing). */
export function zipEntries(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("not a zip: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory entry");
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push(zip.subarray(at + 46, at + 46 + nameLength).toString("utf8"));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

/** File names in a gzipped tar (ustar headers; git's pax global header skipped). */
export function tarGzEntries(tgz: Buffer): string[] {
  const tar = gunzipSync(tgz);
  const names: string[] = [];
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) =>
      header
        .subarray(from, from + len)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = field(0, 100);
    if (type !== "g" && type !== "x") names.push(prefix ? `${prefix}/${name}` : name);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

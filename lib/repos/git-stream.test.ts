import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitToOrigin, readStream } from "@/tests/support/repo-fixtures";
import { GitError, gitBare, gitBareStream } from "./git";
import { initOrigin } from "./init-origin";

let dir: string;
let origin: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "dm-git-stream-"));
  origin = path.join(dir, "origin.git");
  await initOrigin(origin, { defaultBranch: "main", files: [{ path: "README.md", content: "# x\n" }] });
  // Incompressible content, so the archive is several megabytes and arrives in many chunks.
  const noise = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, i);
  await commitToOrigin(origin, {
    branch: "main",
    message: "Noise",
    changes: [{ path: "noise.bin", content: noise }],
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("gitStream", () => {
  it("streams stdout in chunks as git writes it", async () => {
    const { stream, exited } = gitBareStream(origin, ["archive", "--format=tar", "main"]);
    const reader = stream.getReader();
    let chunks = 0;
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      bytes += value.byteLength;
    }
    expect(await exited).toBe(0);
    expect(bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(chunks).toBeGreaterThan(10);
  });

  it("kills git when the reader cancels (a client that went away)", async () => {
    const { stream, exited } = gitBareStream(origin, ["archive", "--format=tar", "main"]);
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.value?.byteLength).toBeGreaterThan(0);
    await reader.cancel();
    // git ends before writing the rest: killed (no exit code) or failing on the closed pipe.
    expect(await exited).not.toBe(0);
  });

  it("errors the stream when git fails, with git's message", async () => {
    const { stream } = gitBareStream(origin, ["archive", "--format=tar", "0".repeat(40)]);
    const error = await readStream(stream).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).toMatch(/git archive exited with 128/);
    const { stdout } = await gitBare(origin, ["rev-parse", "main"]);
    expect(stdout.trim()).toMatch(/^[0-9a-f]{40}$/);
  });
});

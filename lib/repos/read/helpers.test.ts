import { describe, expect, it } from "vitest";
import { capPatch, diffTotals, mergeFileStats, parseNameStatusZ, parseNumstatZ } from "./diff-parse";
import { parseCursor, parseRef, parseRepoPath } from "./input";
import { languageFromPath, looksBinary } from "./language";
import { parseTrailers, stripTrailers } from "./trailers";

describe("diff parsing", () => {
  it("reads name-status and numstat (-z), renames and binary files included", () => {
    const names = parseNameStatusZ("M\0README.md\0R087\0src/a.ts\0src/b.ts\0A\0logo.png\0D\0gone.txt\0");
    expect(names).toEqual([
      { status: "modified", path: "README.md", oldPath: null },
      { status: "renamed", path: "src/b.ts", oldPath: "src/a.ts" },
      { status: "added", path: "logo.png", oldPath: null },
      { status: "deleted", path: "gone.txt", oldPath: null },
    ]);
    const stats = parseNumstatZ(
      "3\t1\tREADME.md\0" + "2\t0\t\0src/a.ts\0src/b.ts\0" + "-\t-\tlogo.png\0" + "0\t4\tgone.txt\0",
    );
    const files = mergeFileStats(names, stats);
    expect(files.map((f) => [f.path, f.additions, f.deletions, f.binary])).toEqual([
      ["README.md", 3, 1, false],
      ["src/b.ts", 2, 0, false],
      ["logo.png", null, null, true],
      ["gone.txt", 0, 4, false],
    ]);
    expect(diffTotals(files)).toEqual({ files: 4, additions: 5, deletions: 5 });
  });

  it("cuts a large patch at a file boundary", () => {
    const one = "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-x\n+y\n";
    const two = `diff --git a/b b/b\n--- a/b\n+++ b/b\n@@ -1 +1 @@\n-${"z".repeat(100)}\n+w\n`;
    expect(capPatch(one + two, 10_000)).toEqual({ patch: one + two, truncated: false });
    expect(capPatch(one + two, one.length + 20)).toEqual({ patch: one, truncated: true });
    expect(capPatch(one, 10)).toEqual({ patch: "", truncated: true });
  });
});

describe("languages and binary files", () => {
  it("picks the language from the extension or the file name", () => {
    expect(languageFromPath("src/app.tsx")).toBe("typescript");
    expect(languageFromPath("a/b/Dockerfile")).toBe("dockerfile");
    expect(languageFromPath("Makefile")).toBe("makefile");
    expect(languageFromPath("x.PY")).toBe("python");
    expect(languageFromPath("config.yml")).toBe("yaml");
    expect(languageFromPath("LICENSE")).toBeNull();
    expect(languageFromPath(".hidden")).toBeNull();
    expect(languageFromPath("file.unknownext")).toBeNull();
  });

  it("treats a NUL in the first 8000 bytes as binary, like git", () => {
    expect(looksBinary(new TextEncoder().encode("plain text\n"))).toBe(false);
    expect(looksBinary(Uint8Array.from([0x89, 0x50, 0x00]))).toBe(true);
    const late = new Uint8Array(9000).fill(65);
    late[8500] = 0;
    expect(looksBinary(late)).toBe(false);
  });
});

describe("trailers", () => {
  const run = "0b8c3a58-7a3b-4a8e-9f59-1f2f3a4b5c6d";
  const task = "1c9d4b69-8b4c-4b9f-8a6a-2a3b4c5d6e7f";
  it("reads Run, Task and Agent, dropping values that are not ids or slugs", () => {
    expect(parseTrailers(`Run: ${run}\nTask: ${task}\nAgent: coder`)).toEqual({
      runId: run,
      taskId: task,
      agentSlug: "coder",
    });
    expect(parseTrailers("Run: ../../etc\nAgent: <script>\nSigned-off-by: x")).toEqual({
      runId: null,
      taskId: null,
      agentSlug: null,
    });
  });
  it("strips the trailer block from the message", () => {
    const block = `Run: ${run}\nAgent: coder`;
    expect(stripTrailers(`T1: Add\n\nWhy it matters.\n\n${block}\n`, block)).toBe(
      "T1: Add\n\nWhy it matters.",
    );
    expect(stripTrailers("Plain\n", "")).toBe("Plain");
  });
});

describe("request refs and paths", () => {
  it("accepts branch names and hex ids, refuses options and revision syntax", () => {
    for (const ok of ["main", "dm/12-add-export", "feature/x.y", "abc1234", "A".repeat(40)])
      expect(parseRef(ok)).toBe(ok);
    for (const bad of [
      "",
      "-h",
      "--output=x",
      "HEAD@{-1}",
      "a..b",
      "a~1",
      "a^",
      "a:b",
      "a b",
      "a\0b",
      "/x",
      "x/",
      "x.lock",
      "@",
      "y".repeat(256),
    ])
      expect(() => parseRef(bad), bad).toThrow();
  });
  it("normalises paths and refuses escapes", () => {
    expect(parseRepoPath(undefined)).toBe("");
    expect(parseRepoPath("/")).toBe("");
    expect(parseRepoPath("src/")).toBe("src");
    expect(parseRepoPath("-rf")).toBe("-rf");
    for (const bad of [
      "../a",
      "a/..",
      "a/./b",
      "/etc/passwd",
      "a//b",
      "a\0b",
      "a\nb",
      ".git/HEAD",
      "p".repeat(4097),
    ])
      expect(() => parseRepoPath(bad), bad).toThrow();
  });
  it("reads cursors as small non-negative integers", () => {
    expect(parseCursor(undefined)).toBe(0);
    expect(parseCursor("30")).toBe(30);
    for (const bad of ["-1", "1e3", "x", "99999999"]) expect(() => parseCursor(bad)).toThrow();
  });
});

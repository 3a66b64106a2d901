import { describe, expect, it } from "vitest";
import type { ChangedFile } from "@/lib/repos/read/diff-parse";
import { buildDiffEntries, fileAnchor } from "./diff-model";

const patch = [
  "diff --git a/del.txt b/del.txt",
  "deleted file mode 100644",
  "index 1111111..0000000",
  "--- a/del.txt",
  "+++ /dev/null",
  "@@ -1 +0,0 @@",
  "-bye",
  "diff --git a/old.txt b/new.txt",
  "similarity index 100%",
  "rename from old.txt",
  "rename to new.txt",
  "diff --git a/x.txt b/x.txt",
  "index 2222222..3333333 100644",
  "--- a/x.txt",
  "+++ b/x.txt",
  "@@ -1,2 +1,2 @@",
  " a",
  "-b",
  "+c",
  "",
].join("\n");

const file = (
  path: string,
  status: ChangedFile["status"],
  extra: Partial<ChangedFile> = {},
): ChangedFile => ({
  path,
  oldPath: null,
  status,
  additions: 0,
  deletions: 0,
  binary: false,
  ...extra,
});

describe("diff entries", () => {
  it("pairs each changed file with its hunks, keeping files the patch has none for", () => {
    const entries = buildDiffEntries(
      [
        file("del.txt", "deleted", { deletions: 1 }),
        file("new.txt", "renamed", { oldPath: "old.txt" }),
        file("x.txt", "modified", { additions: 1, deletions: 1 }),
        file("logo.png", "added", { binary: true, additions: null, deletions: null }),
      ],
      patch,
    );
    expect(entries.map((e) => [e.file.path, e.diffType, e.hunks.length])).toEqual([
      ["del.txt", "delete", 1],
      ["new.txt", "rename", 0],
      ["x.txt", "modify", 1],
      ["logo.png", "add", 0],
    ]);
    const changes = entries[2]?.hunks[0]?.changes.map((c) => [c.type, c.content]);
    expect(changes).toEqual([
      ["normal", "a"],
      ["delete", "b"],
      ["insert", "c"],
    ]);
    expect(buildDiffEntries([file("a", "added")], "")[0]?.hunks).toEqual([]);
  });

  it("makes distinct, id-safe anchors", () => {
    const a = fileAnchor("src/a b.ts");
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(fileAnchor("src/a-b.ts"));
  });
});

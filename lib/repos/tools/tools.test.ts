import { readFile as fsRead, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { git } from "@/lib/repos/git";
import { createTempRepo } from "@/tests/support/temp-repo";
import { createRepoTools, type RepoFileChange } from "./index";
import { MAX_WRITE_BYTES } from "./limits";
import { callTool } from "./test-helpers";

type Repo = Awaited<ReturnType<typeof createTempRepo>>;

let repo: Repo;
let changes: RepoFileChange[];
let tools: ReturnType<typeof createRepoTools>;

beforeEach(async () => {
  repo = await createTempRepo({
    "README.md": "# Demo\n\nA small repository.\n\n## Usage\n\nRun it.\n",
    "src/index.ts": "export const greet = (name: string) => 'Hello, ' + name;\n// TODO: more\n",
    "src/util/math.ts":
      "export const add = (a: number, b: number) => a + b;\nexport const sub = (a: number, b: number) => a - b;\n",
    "src/deep/a/b/c.ts": "export const c = 1;\n",
    ".gitignore": "node_modules/\n*.log\n",
    "assets/logo.bin": Buffer.from([0, 1, 2, 3, 0, 255]),
  });
  changes = [];
  tools = createRepoTools(repo, { onChange: (c) => void changes.push(c) });
});

afterEach(async () => {
  await repo.cleanup();
});

const file = (p: string) => fsRead(path.join(repo.dir, p), "utf8");

describe("list_files", () => {
  it("lists tracked and new files with sizes, hiding what .gitignore ignores", async () => {
    await mkdir(path.join(repo.dir, "node_modules/x"), { recursive: true });
    await writeFile(path.join(repo.dir, "node_modules/x/index.js"), "x");
    await writeFile(path.join(repo.dir, "debug.log"), "noise");
    await writeFile(path.join(repo.dir, "NEW.md"), "new file\n");
    const out = await callTool(tools, "list_files", {});
    expect(out.listing).toContain("README.md  ");
    expect(out.listing).toContain("NEW.md  9 B");
    expect(out.listing).toContain("src/util/math.ts");
    expect(out.listing).not.toContain("node_modules");
    expect(out.listing).not.toContain("debug.log");
    expect(out.totalFiles).toBe(7);
  });

  it("summarizes folders deeper than the depth, and lists a sub-path", async () => {
    const shallow = await callTool(tools, "list_files", { depth: 1 });
    expect(shallow.listing).toContain("src/  (3 files");
    expect(shallow.listing).not.toContain("src/index.ts");
    const sub = await callTool(tools, "list_files", { path: "src", depth: 1 });
    expect(sub.listing).toContain("src/index.ts");
    expect(sub.listing).toContain("src/deep/  (1 file,");
    expect(sub.listing).not.toContain("README.md");
  });

  it("caps the listing with a note", async () => {
    for (let i = 0; i < 450; i++)
      await writeFile(path.join(repo.dir, `f${String(i).padStart(3, "0")}.txt`), "x");
    const out = await callTool(tools, "list_files", { depth: 1 });
    expect(out.listing.split("\n")).toHaveLength(400);
    expect(out.note).toMatch(/^\d+ more entries not shown/);
  });

  it("says when the folder does not exist", async () => {
    expect((await callTool(tools, "list_files", { path: "nope" })).error).toMatch(/does not exist/);
  });
});

describe("read_file", () => {
  it("reads a whole file and a line range", async () => {
    const all = await callTool(tools, "read_file", { path: "README.md" });
    expect(all).toMatchObject({ path: "README.md", startLine: 1, endLine: 7, totalLines: 7 });
    expect(all.content).toBe(await file("README.md"));
    const part = await callTool(tools, "read_file", { path: "README.md", startLine: 5, endLine: 6 });
    expect(part).toMatchObject({ startLine: 5, endLine: 6, content: "## Usage\n\n" });
    await writeFile(path.join(repo.dir, "no-eol.txt"), "a\nb");
    expect((await callTool(tools, "read_file", { path: "no-eol.txt" })).content).toBe("a\nb");
    expect((await callTool(tools, "read_file", { path: "README.md", startLine: 99 })).error).toMatch(
      /has 7 lines/,
    );
  });

  it("cuts a long file and says how to read on", async () => {
    const long = Array.from({ length: 5000 }, (_, i) => `line ${i + 1} ${"x".repeat(40)}`).join("\n");
    await writeFile(path.join(repo.dir, "long.txt"), long);
    const out = await callTool(tools, "read_file", { path: "long.txt" });
    expect(out.content.length).toBeLessThanOrEqual(48_000);
    expect(out.endLine).toBeLessThan(5000);
    expect(out.note).toContain(`startLine ${out.endLine + 1}`);
    const next = await callTool(tools, "read_file", { path: "long.txt", startLine: out.endLine + 1 });
    expect(next.content.startsWith(`line ${out.endLine + 1} `)).toBe(true);
  });

  it("refuses binary files, folders and missing files with a message", async () => {
    expect((await callTool(tools, "read_file", { path: "assets/logo.bin" })).error).toMatch(/binary/);
    expect((await callTool(tools, "read_file", { path: "src" })).error).toMatch(
      /is a folder; use list_files/,
    );
    expect((await callTool(tools, "read_file", { path: "src/missing.ts" })).error).toMatch(/does not exist/);
  });
});

describe("search_code", () => {
  it("finds a fixed string with line numbers and context, in new files too", async () => {
    await writeFile(path.join(repo.dir, "src/new.ts"), "const x = add(1, 2);\n");
    const out = await callTool(tools, "search_code", { pattern: "add", context: 0 });
    expect(out.matches).toBe(2);
    expect(out.files).toBe(2);
    expect(out.results).toContain("src/new.ts\n  1: const x = add(1, 2);");
    expect(out.results).toContain("src/util/math.ts\n  1: export const add");
  });

  it("supports regular expressions, case folding, a path and context lines", async () => {
    const out = await callTool(tools, "search_code", {
      pattern: "^export const (add|sub)",
      regex: true,
      path: "src/util",
      context: 1,
    });
    expect(out.matches).toBe(2);
    const ci = await callTool(tools, "search_code", { pattern: "todo", ignoreCase: true, context: 1 });
    expect(ci.results).toContain("src/index.ts\n  1- export const greet");
    expect(ci.results).toContain("  2: // TODO: more");
  });

  it("answers no match, caps matches, reports a bad regex, and takes a leading-dash pattern as text", async () => {
    expect(await callTool(tools, "search_code", { pattern: "zzz-not-there" })).toMatchObject({ matches: 0 });
    await writeFile(path.join(repo.dir, "many.txt"), "hit\n".repeat(30));
    const capped = await callTool(tools, "search_code", { pattern: "hit", maxMatches: 5, context: 0 });
    expect(capped.matches).toBe(5);
    expect(capped.note).toMatch(/Stopped at 5 matches/);
    expect((await callTool(tools, "search_code", { pattern: "(", regex: true })).error).toMatch(
      /search failed/,
    );
    await writeFile(path.join(repo.dir, "flags.txt"), "use --version here\n");
    const dash = await callTool(tools, "search_code", { pattern: "--version" });
    expect(dash.results).toContain("flags.txt");
  });

  it("does not search ignored files", async () => {
    await writeFile(path.join(repo.dir, "debug.log"), "secret-marker\n");
    expect((await callTool(tools, "search_code", { pattern: "secret-marker" })).matches).toBe(0);
  });
});

describe("write_file, edit_file, delete_file, move_file", () => {
  it("creates a file with its folders and reports the change", async () => {
    const out = await callTool(tools, "write_file", { path: "src/feature/new.ts", content: "a\nb\nc\n" });
    expect(out).toEqual({ change: "added", path: "src/feature/new.ts", added: 3, removed: 0 });
    expect(await file("src/feature/new.ts")).toBe("a\nb\nc\n");
    expect(changes).toEqual([out]);
  });

  it("overwrites a file, counting lines added and removed, and reports nothing for the same content", async () => {
    const out = await callTool(tools, "write_file", {
      path: "src/util/math.ts",
      content:
        "export const add = (a: number, b: number) => a + b;\nexport const mul = (a: number, b: number) => a * b;\n",
    });
    expect(out).toEqual({ change: "modified", path: "src/util/math.ts", added: 1, removed: 1 });
    const same = await callTool(tools, "write_file", { path: "README.md", content: await file("README.md") });
    expect(same.note).toMatch(/nothing changed/);
    expect(changes).toHaveLength(1);
  });

  it("refuses writes over the size cap and onto a folder", async () => {
    const big = await callTool(tools, "write_file", {
      path: "big.txt",
      content: "x".repeat(MAX_WRITE_BYTES + 1),
    });
    expect(big.error).toMatch(/limited to 1\.0 MB/);
    expect((await callTool(tools, "write_file", { path: "src", content: "x" })).error).toMatch(/is a folder/);
    expect((await callTool(tools, "write_file", { path: "README.md/x.txt", content: "x" })).error).toMatch(
      /is a file, not a folder/,
    );
    expect(changes).toHaveLength(0);
  });

  it("edits text that matches exactly once", async () => {
    const out = await callTool(tools, "edit_file", {
      path: "README.md",
      oldText: "## Usage\n\nRun it.\n",
      newText: "## Usage\n\nRun it.\n\n## Export\n\nCSV export.\n",
    });
    expect(out).toEqual({ change: "modified", path: "README.md", added: 4, removed: 0 });
    expect(await file("README.md")).toContain("## Export\n\nCSV export.\n");
    expect(changes).toEqual([out]);
  });

  it("answers 0 matches with where the first line occurs, and 2 matches with their lines", async () => {
    const none = await callTool(tools, "edit_file", {
      path: "src/util/math.ts",
      oldText: "export const add = (a: number, b: number) => a + b;\n  export const sub",
      newText: "x",
    });
    expect(none.error).toMatch(/was not found/);
    expect(none.error).toMatch(/first line occurs at line 1/);
    const absent = await callTool(tools, "edit_file", {
      path: "src/util/math.ts",
      oldText: "nothing like it",
      newText: "x",
    });
    expect(absent.error).toMatch(/read the file again/);
    const two = await callTool(tools, "edit_file", {
      path: "src/util/math.ts",
      oldText: "(a: number, b: number)",
      newText: "()",
    });
    expect(two.error).toBe(
      'oldText matches 2 times in "src/util/math.ts" (at lines 1, 2); include more surrounding lines so it matches exactly once.',
    );
    expect(changes).toHaveLength(0);
    expect(await file("src/util/math.ts")).toContain("(a: number, b: number) => a - b");
  });

  it("edits a file with Windows line ends from text with \\n", async () => {
    await writeFile(path.join(repo.dir, "win.txt"), "one\r\ntwo\r\nthree\r\n");
    const out = await callTool(tools, "edit_file", {
      path: "win.txt",
      oldText: "two\nthree",
      newText: "2\n3",
    });
    expect(out.change).toBe("modified");
    expect(await file("win.txt")).toBe("one\r\n2\r\n3\r\n");
  });

  it("refuses to edit a missing or binary file", async () => {
    expect(
      (await callTool(tools, "edit_file", { path: "nope.ts", oldText: "a", newText: "b" })).error,
    ).toMatch(/does not exist/);
    expect(
      (await callTool(tools, "edit_file", { path: "assets/logo.bin", oldText: "a", newText: "b" })).error,
    ).toMatch(/binary/);
  });

  it("deletes a file, counting its lines, and refuses folders and missing files", async () => {
    const out = await callTool(tools, "delete_file", { path: "src/util/math.ts" });
    expect(out).toEqual({ change: "deleted", path: "src/util/math.ts", added: 0, removed: 2 });
    expect((await callTool(tools, "delete_file", { path: "src/util/math.ts" })).error).toMatch(
      /does not exist/,
    );
    expect((await callTool(tools, "delete_file", { path: "src" })).error).toMatch(/is a folder/);
    const listed = await callTool(tools, "list_files", {});
    expect(listed.listing).not.toContain("math.ts");
  });

  it("moves a file into a new folder, refusing an existing destination", async () => {
    const out = await callTool(tools, "move_file", { from: "src/index.ts", to: "lib/main.ts" });
    expect(out).toEqual({ change: "moved", path: "lib/main.ts", from: "src/index.ts", added: 0, removed: 0 });
    expect(await file("lib/main.ts")).toContain("greet");
    expect((await callTool(tools, "move_file", { from: "README.md", to: "lib/main.ts" })).error).toMatch(
      /already exists/,
    );
    expect((await callTool(tools, "move_file", { from: "gone.ts", to: "x.ts" })).error).toMatch(
      /does not exist/,
    );
  });
});

describe("diff", () => {
  it("shows the task's changes against its base commit, new files included, ignored files not", async () => {
    expect((await callTool(tools, "diff", {})).note).toMatch(/No changes yet/);
    await callTool(tools, "edit_file", {
      path: "README.md",
      oldText: "Run it.",
      newText: "Run it with npm start.",
    });
    await callTool(tools, "write_file", { path: "src/new.ts", content: "export {};\n" });
    await callTool(tools, "delete_file", { path: "src/deep/a/b/c.ts" });
    await writeFile(path.join(repo.dir, "debug.log"), "ignored");
    const out = await callTool(tools, "diff", {});
    expect(out.files).toEqual([
      { path: "README.md", added: 1, removed: 1 },
      { path: "src/deep/a/b/c.ts", added: 0, removed: 1 },
      { path: "src/new.ts", added: 1, removed: 0 },
    ]);
    expect(out.patch).toContain("+Run it with npm start.");
    expect(out.patch).toContain("new file mode");
    expect(out.patch).not.toContain("debug.log");
    const one = await callTool(tools, "diff", { path: "src/new.ts" });
    expect(one.files).toEqual([{ path: "src/new.ts", added: 1, removed: 0 }]);
    // The task's own index is untouched: nothing was staged.
    const { stdout } = await git(["diff", "--cached", "--name-only"], { cwd: repo.dir });
    expect(stdout).toBe("");
  });

  it("includes commits made since the base and shows renames", async () => {
    await callTool(tools, "move_file", { from: "src/util/math.ts", to: "src/math.ts" });
    await git(["add", "-A"], { cwd: repo.dir });
    await git(["commit", "-q", "-m", "move"], { cwd: repo.dir });
    const out = await callTool(tools, "diff", {});
    expect(out.files).toEqual([{ path: "src/util/math.ts → src/math.ts", added: 0, removed: 0 }]);
  });

  it("works in a linked worktree (a task's working tree beside the run's)", async () => {
    const wt = `${repo.dir}-task`;
    await git(["worktree", "add", "-q", "-b", "task", wt], { cwd: repo.dir });
    try {
      await writeFile(path.join(wt, "b.txt"), "b\n");
      const taskTools = createRepoTools({ dir: wt, baseCommit: repo.baseCommit });
      expect((await callTool(taskTools, "diff", {})).files).toEqual([
        { path: "b.txt", added: 1, removed: 0 },
      ]);
      expect((await callTool(taskTools, "list_files", {})).totalFiles).toBe(7);
      expect((await callTool(taskTools, "read_file", { path: ".git" })).error).toMatch(/inside \.git/);
    } finally {
      await rm(wt, { recursive: true, force: true });
    }
  });

  it("caps a large patch with a note", async () => {
    await callTool(tools, "write_file", { path: "huge.txt", content: "y\n".repeat(100_000) });
    const out = await callTool(tools, "diff", {});
    expect(out.patch.length).toBe(60_000);
    expect(out.note).toMatch(/cut at 60000/);
  });
});

describe("symlinks inside the tree", () => {
  it("reads through a link that stays inside, but never writes through one", async () => {
    await symlink("README.md", path.join(repo.dir, "readme-link"));
    expect((await callTool(tools, "read_file", { path: "readme-link" })).content).toContain("# Demo");
    expect((await callTool(tools, "write_file", { path: "readme-link", content: "x" })).error).toMatch(
      /is a symbolic link/,
    );
    expect((await callTool(tools, "delete_file", { path: "readme-link" })).change).toBe("deleted");
    expect(await file("README.md")).toContain("# Demo");
  });
});

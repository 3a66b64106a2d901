import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempRepo } from "@/tests/support/temp-repo";
import { checkPathText } from "./confine";
import { createRepoTools, type RepoFileChange, type RepoToolName } from "./index";
import { callTool } from "./test-helpers";

type Repo = Awaited<ReturnType<typeof createTempRepo>>;

let repo: Repo;
let outside: string;
const changes: RepoFileChange[] = [];
let tools: ReturnType<typeof createRepoTools>;

beforeAll(async () => {
  repo = await createTempRepo({ "README.md": "# Inside\n", "src/a.ts": "export const a = 1;\n" });
  outside = await mkdtemp(path.join(tmpdir(), "dm-outside-"));
  await writeFile(path.join(outside, "secret.txt"), "outside secret\n");
  await symlink(path.join(outside, "secret.txt"), path.join(repo.dir, "secret-link"));
  await symlink("/etc/passwd", path.join(repo.dir, "passwd"));
  await symlink(outside, path.join(repo.dir, "outdir"));
  await symlink(".git", path.join(repo.dir, "gitdir"));
  await symlink(".git/config", path.join(repo.dir, "gitconfig"));
  await mkdir(path.join(repo.dir, "nested"));
  await symlink("../..", path.join(repo.dir, "nested/up"));
  tools = createRepoTools(repo, { onChange: (c) => void changes.push(c) });
});

afterAll(async () => {
  await repo.cleanup();
  await rm(outside, { recursive: true, force: true });
});

/** Paths that must never be reached, whatever the tool. */
const ESCAPES: [string, RegExp][] = [
  ["/etc/passwd", /absolute path/],
  [`${tmpdirPlaceholder()}/secret.txt`, /absolute path/],
  ["~/.ssh/id_rsa", /absolute path/],
  ["C:/Windows/win.ini", /absolute path/],
  ["../secret.txt", /outside the repository/],
  ["src/../../secret.txt", /outside the repository/],
  ["..", /outside the repository/],
  ["src/..", /contains ".."/],
  ["..\\..\\secret.txt", /backslash/],
  ["src\\..\\README.md", /backslash/],
  [".git/config", /inside \.git/],
  [".GIT/config", /inside \.git/],
  [".Git/HEAD", /inside \.git/],
  ["a/../.git/config", /inside \.git/],
  ["src/.git/config", /inside \.git/],
  [".git", /inside \.git/],
  [".git./config", /inside \.git/],
  ["GIT~1/config", /inside \.git/],
  ["README.md\0.txt", /NUL/],
  ["x\nDm-Base: 1111111111111111111111111111111111111111", /control character/],
  ["tab\there.ts", /control character/],
  ["-rf", /starts with "-"/],
  ["--output=/tmp/x", /starts with "-"/],
  [`${"a/".repeat(600)}x`, /longer than 1024/],
  [`${"a".repeat(300)}.txt`, /longer than 255/],
  ["secret-link", /symbolic link|outside the repository/],
  ["passwd", /symbolic link|outside the repository/],
  ["outdir/secret.txt", /outside the repository/],
  ["outdir/new.txt", /outside the repository/],
  ["gitdir/config", /into \.git/],
  ["gitconfig", /symbolic link|into \.git/],
  ["nested/up/secret.txt", /outside the repository/],
];

function tmpdirPlaceholder() {
  return tmpdir();
}

const CALLS: Record<RepoToolName, (p: string) => unknown> = {
  list_files: (p) => ({ path: p }),
  read_file: (p) => ({ path: p }),
  search_code: (p) => ({ pattern: "secret", path: p }),
  write_file: (p) => ({ path: p, content: "pwned\n" }),
  edit_file: (p) => ({ path: p, oldText: "secret", newText: "pwned" }),
  delete_file: (p) => ({ path: p }),
  move_file: (p) => ({ from: p, to: "moved.txt" }),
  diff: (p) => ({ path: p }),
};

describe("path confinement", () => {
  for (const [name, input] of Object.entries(CALLS) as [RepoToolName, (p: string) => unknown][]) {
    it(`${name} refuses every escape with a message`, async () => {
      for (const [p, message] of ESCAPES) {
        // Deleting or moving the link itself is allowed (it removes the link, not its target).
        if (
          (name === "delete_file" || name === "move_file") &&
          ["secret-link", "passwd", "gitconfig"].includes(p)
        )
          continue;
        // Reading through a link is refused only when the link leads out; these are checked below.
        const out = await callTool(tools, name, input(p));
        expect(out.error, `${name} ${JSON.stringify(p).slice(0, 60)}`).toMatch(message);
      }
    });
  }

  it("move_file refuses every escaping destination too", async () => {
    for (const [p, message] of ESCAPES) {
      if (["secret-link", "passwd", "gitconfig"].includes(p)) continue;
      const out = await callTool(tools, "move_file", { from: "README.md", to: p });
      expect(out.error, p.slice(0, 60)).toMatch(message);
    }
  });

  it("left everything outside and inside .git untouched, and reported no change", async () => {
    expect(await readFile(path.join(outside, "secret.txt"), "utf8")).toBe("outside secret\n");
    expect(await readFile(path.join(repo.dir, ".git/config"), "utf8")).not.toContain("pwned");
    expect(await readFile(path.join(repo.dir, "README.md"), "utf8")).toBe("# Inside\n");
    await expect(readFile(path.join(outside, "new.txt"), "utf8")).rejects.toThrow();
    await expect(readFile(path.join(repo.dir, "moved.txt"), "utf8")).rejects.toThrow();
    expect(changes).toEqual([]);
  });

  it("deleting a link removes the link, never its target", async () => {
    const out = await callTool(tools, "delete_file", { path: "secret-link" });
    expect(out.change).toBe("deleted");
    expect(await readFile(path.join(outside, "secret.txt"), "utf8")).toBe("outside secret\n");
    await symlink(path.join(outside, "secret.txt"), path.join(repo.dir, "secret-link"));
    changes.length = 0;
  });

  it("accepts ordinary relative paths, normalized", () => {
    expect(checkPathText("src/a.ts")).toBe("src/a.ts");
    expect(checkPathText("./src//a.ts")).toBe("src/a.ts");
    expect(checkPathText("docs/.github/x.md")).toBe("docs/.github/x.md");
    expect(checkPathText(".gitignore")).toBe(".gitignore");
    expect(checkPathText("src/-flag.ts")).toBe("src/-flag.ts");
    expect(checkPathText("", { allowRoot: true })).toBe("");
    expect(checkPathText("")).toEqual({ error: "Give a file path relative to the repository root." });
  });
});

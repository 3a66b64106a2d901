import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTempRepo } from "@/tests/support/temp-repo";
import { branchSource, detectCommands, detectCommandsIn, makeTargets } from "./detect-commands";
import { git } from "./git";
import { buildRepoMap, REPO_MAP_MAX_CHARS, renderRepoMap } from "./repo-map";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function folder(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), "dm-detect-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const [f, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
    await writeFile(path.join(dir, f), content);
  }
  return dir;
}

describe("detectCommands", () => {
  it("reads npm scripts, the package manager from the lockfile, and ignores npm's placeholder test", async () => {
    const scripts = { build: "next build", test: "vitest run", lint: "biome check ." };
    expect(
      await detectCommands(
        await folder({ "package.json": JSON.stringify({ scripts }), "package-lock.json": "{}" }),
      ),
    ).toEqual({
      install: "npm ci",
      build: "npm run build",
      test: "npm test",
      lint: "npm run lint",
      sources: ["package.json"],
    });
    expect(
      await detectCommands(
        await folder({ "package.json": JSON.stringify({ scripts }), "pnpm-lock.yaml": "" }),
      ),
    ).toMatchObject({ install: "pnpm install --frozen-lockfile", build: "pnpm build", test: "pnpm test" });
    const placeholder = { test: 'echo "Error: no test specified" && exit 1' };
    expect(
      await detectCommands(await folder({ "package.json": JSON.stringify({ scripts: placeholder }) })),
    ).toEqual({
      install: "npm install",
      build: null,
      test: null,
      lint: null,
      sources: ["package.json"],
    });
  });

  it("reads pyproject (poetry, pytest, build system) and plain requirements", async () => {
    const poetry =
      "[build-system]\nrequires = []\n\n[tool.poetry]\nname = 'x'\n\n[tool.pytest.ini_options]\n";
    expect(await detectCommands(await folder({ "pyproject.toml": poetry }))).toEqual({
      install: "poetry install",
      build: "poetry run python -m build",
      test: "poetry run pytest",
      lint: null,
      sources: ["pyproject.toml"],
    });
    expect(await detectCommands(await folder({ "requirements.txt": "flask\npytest\n" }))).toMatchObject({
      install: "pip install -r requirements.txt",
      test: "pytest",
      sources: ["requirements.txt"],
    });
  });

  it("fills gaps from the Makefile, and knows Cargo and Go", async () => {
    const make = "VAR := 1\nbuild: deps\n\tgo build\ntest:\n\tgo test\n%.o: %.c\n";
    expect([...makeTargets(make)]).toEqual(["build", "test"]);
    expect(await detectCommands(await folder({ Makefile: make }))).toEqual({
      install: null,
      build: "make build",
      test: "make test",
      lint: null,
      sources: ["Makefile"],
    });
    const both = await detectCommands(
      await folder({
        "package.json": JSON.stringify({ scripts: { build: "tsc" } }),
        Makefile: "test:\n\tx\n",
      }),
    );
    expect(both).toMatchObject({
      build: "npm run build",
      test: "make test",
      sources: ["package.json", "Makefile"],
    });
    expect(await detectCommands(await folder({ "Cargo.toml": "[package]" }))).toMatchObject({
      test: "cargo test",
    });
    expect(await detectCommands(await folder({ "go.mod": "module x" }))).toMatchObject({
      test: "go test ./...",
    });
    expect(await detectCommands(await folder({ "notes.txt": "" }))).toEqual({
      install: null,
      build: null,
      test: null,
      lint: null,
      sources: [],
    });
  });

  it("reads the same from a branch of a bare origin, without a checkout", async () => {
    const repo = await createTempRepo({
      "package.json": JSON.stringify({ scripts: { build: "tsc", test: "vitest" } }),
      "yarn.lock": "",
      Makefile: "lint:\n\tbiome\n",
      "pyproject.toml": "[tool.ruff]\n",
    });
    cleanups.push(repo.cleanup);
    const bare = `${repo.dir}.git`;
    await git(["clone", "-q", "--bare", repo.dir, bare], { cwd: repo.dir });
    cleanups.push(() => rm(bare, { recursive: true, force: true }));
    const fromTree = await detectCommands(repo.dir);
    expect(fromTree).toEqual({
      install: "yarn install --frozen-lockfile",
      build: "yarn build",
      test: "yarn test",
      lint: "ruff check .",
      sources: ["package.json", "pyproject.toml"],
    });
    expect(await detectCommandsIn(branchSource(bare, "main"))).toEqual(fromTree);
    expect(await detectCommandsIn(branchSource(bare, "no-such-branch"))).toMatchObject({ sources: [] });
  });
});

describe("repository map", () => {
  it("summarizes folders, key files, languages and commands, leaving ignored files out", async () => {
    const repo = await createTempRepo({
      "README.md": "# Shop\n\nA small shop.\n",
      "package.json": JSON.stringify({ name: "shop", scripts: { test: "vitest run" } }, null, 2),
      ".gitignore": "dist/\n",
      "src/index.ts": "export {};\n",
      "src/cart/cart.ts": "export {};\n",
      "src/cart/cart.test.ts": "export {};\n",
      "scripts/seed.py": "print(1)\n",
    });
    cleanups.push(repo.cleanup);
    await mkdir(path.join(repo.dir, "dist"));
    await writeFile(path.join(repo.dir, "dist/bundle.js"), "ignored");
    const map = await buildRepoMap(repo.dir);
    expect(map.totalFiles).toBe(7);
    expect(map.tree.map((t) => [t.path, t.files])).toEqual([
      ["src/", 3],
      ["scripts/", 1],
    ]);
    expect(map.tree[0]?.children).toEqual([{ path: "src/cart/", files: 2, bytes: 22 }]);
    expect(map.languages).toEqual([
      { language: "TypeScript", files: 3 },
      { language: "JSON", files: 1 },
      { language: "Markdown", files: 1 },
      { language: "Python", files: 1 },
    ]);
    expect(map.keyFiles.map((k) => k.path)).toEqual(["README.md", "package.json"]);
    expect(map.commands.test).toBe("npm test");
    const text = renderRepoMap(map);
    expect(text).toContain("- src/ — 3 files");
    expect(text).toContain("- test: `npm test`");
    expect(text).toContain("#### README.md");
    expect(text).toContain("# Shop");
    expect(text).not.toContain("dist");
  });

  it("stays under its bound for a 10,000-file repository", async () => {
    const files: Record<string, string> = {
      "README.md": `# Big\n${"A long line of the readme that goes on. ".repeat(40)}\n`.repeat(30),
      "package.json": JSON.stringify({
        scripts: { build: "tsc", test: "vitest" },
        description: "x".repeat(3000),
      }),
      Makefile: "test:\n\tnpm test\n",
      Dockerfile: "FROM node:20\n".repeat(40),
    };
    for (let i = 0; i < 10_000; i++) {
      files[`pkg${i % 80}/mod${i % 13}/file-${i}.${["ts", "py", "go", "md"][i % 4]}`] = `// ${i}\n`;
    }
    const repo = await createTempRepo(files, { prefix: "dm-bigmap-" });
    cleanups.push(repo.cleanup);
    const started = performance.now();
    const map = await buildRepoMap(repo.dir);
    const ms = performance.now() - started;
    expect(map.totalFiles).toBe(10_004);
    const text = renderRepoMap(map);
    expect(text.length).toBeLessThanOrEqual(REPO_MAP_MAX_CHARS);
    expect(text).toContain("10004 files");
    expect(text).toMatch(/more top-level entries/);
    expect(text).toContain("- build: `npm run build`");
    expect(ms).toBeLessThan(10_000);
    // The bound holds also with a tighter budget.
    expect(renderRepoMap(map, { maxChars: 1500 }).length).toBeLessThanOrEqual(1500);
    const { stdout } = await git(["status", "--porcelain"], { cwd: repo.dir });
    expect(stdout).toBe("");
  }, 60_000);
});

describe("the map never reads outside the repository", () => {
  it("skips key files and manifests that are symlinks (an imported repository can point them anywhere)", async () => {
    const secret = await folder({ ".env": "AUTH_SECRET=do-not-leak\n" });
    const dir = await folder({ "src/index.ts": "export {};\n" });
    const { symlink } = await import("node:fs/promises");
    await symlink(path.join(secret, ".env"), path.join(dir, "README.md"));
    await symlink(path.join(secret, ".env"), path.join(dir, "package.json"));
    await git(["init", "--quiet"], { cwd: dir });
    const map = await buildRepoMap(dir);
    expect(JSON.stringify(map)).not.toContain("do-not-leak");
    expect(renderRepoMap(map)).not.toContain("do-not-leak");
    expect(map.keyFiles.map((k) => k.path)).not.toContain("README.md");
    expect((await detectCommands(dir)).sources).not.toContain("package.json");
  });
});

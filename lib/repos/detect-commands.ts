import { constants } from "node:fs";
import { lstat, readFile } from "node:fs/promises";
import path from "node:path";
import { gitBare } from "./git";

/**
 * The project's install, build and test commands, guessed from the manifests at the root of a
 * working tree (package.json, pyproject.toml, requirements.txt, Makefile, Cargo.toml, go.mod).
 * Only files are read; nothing is run. Project settings show them for a person to confirm.
 */
export type DetectedCommands = {
  install: string | null;
  build: string | null;
  test: string | null;
  lint: string | null;
  /** The files the commands were read from, e.g. ["package.json", "Makefile"]. */
  sources: string[];
};

const MAX_MANIFEST_BYTES = 512 * 1024;

/** Where the manifests are read from: a working tree, or a branch of a bare origin. */
export type ManifestSource = {
  /** A root file's text, or null when it is missing, not a file, or over 512 KB. */
  read(name: string): Promise<string | null>;
  exists(name: string): Promise<boolean>;
};

/** Manifests in a working tree on disk. */
export function directorySource(dir: string): ManifestSource {
  return {
    async read(name) {
      // lstat: a manifest that is a symlink (an imported repository can hold one pointing at any
      // file of the server) is not read.
      const file = path.join(dir, name);
      const s = await lstat(file).catch(() => null);
      if (!s?.isFile() || s.size > MAX_MANIFEST_BYTES) return null;
      return readFile(file, { encoding: "utf8", flag: constants.O_RDONLY | constants.O_NOFOLLOW }).catch(
        () => null,
      );
    },
    exists: async (name) => !!(await lstat(path.join(dir, name)).catch(() => null)),
  };
}

/** Manifests at a branch of a bare repository, read with git (no checkout). */
export function branchSource(gitDir: string, branch: string): ManifestSource {
  return revisionSource(gitDir, `refs/heads/${branch}`);
}

/** Manifests at a revision (a commit id or a full ref) of a bare origin. */
export function revisionSource(gitDir: string, revision: string): ManifestSource {
  if (revision.startsWith("-") || revision.includes(":")) throw new Error("bad revision");
  const ref = (name: string) => `${revision}:${name}`;
  return {
    async read(name) {
      const { stdout: type, code } = await gitBare(gitDir, ["cat-file", "-t", ref(name)], { okCodes: [128] });
      if (code !== 0 || type.trim() !== "blob") return null;
      const { stdout: size } = await gitBare(gitDir, ["cat-file", "-s", ref(name)]);
      if (Number(size.trim()) > MAX_MANIFEST_BYTES) return null;
      return (await gitBare(gitDir, ["cat-file", "blob", ref(name)])).stdout;
    },
    async exists(name) {
      const { code } = await gitBare(gitDir, ["cat-file", "-e", ref(name)], { okCodes: [1, 128] });
      return code === 0;
    },
  };
}

/** npm's placeholder when no test is configured. */
const NO_TEST = /no test specified/i;

type Partial = Omit<DetectedCommands, "sources">;

async function fromPackageJson(src: ManifestSource): Promise<Partial | null> {
  const text = await src.read("package.json");
  if (text === null) return null;
  let pkg: { scripts?: Record<string, unknown>; packageManager?: unknown };
  try {
    pkg = JSON.parse(text);
  } catch {
    return null;
  }
  const declared = typeof pkg.packageManager === "string" ? pkg.packageManager.split("@")[0] : "";
  const pm =
    declared && ["npm", "pnpm", "yarn", "bun"].includes(declared)
      ? declared
      : (await src.exists("pnpm-lock.yaml"))
        ? "pnpm"
        : (await src.exists("yarn.lock"))
          ? "yarn"
          : (await src.exists("bun.lockb")) || (await src.exists("bun.lock"))
            ? "bun"
            : "npm";
  const lockfile = { npm: "package-lock.json", pnpm: "pnpm-lock.yaml", yarn: "yarn.lock", bun: "bun.lock" }[
    pm
  ];
  const locked = lockfile ? await src.exists(lockfile) : false;
  // With a lockfile, installs reproduce it exactly (what CI and the sandbox's install step want).
  const install =
    pm === "npm"
      ? locked
        ? "npm ci"
        : "npm install"
      : locked
        ? `${pm} install --frozen-lockfile`
        : `${pm} install`;
  const scripts = pkg.scripts && typeof pkg.scripts === "object" ? pkg.scripts : {};
  const has = (name: string) => typeof scripts[name] === "string" && !!(scripts[name] as string).trim();
  const run = (name: string) => (pm === "npm" ? `npm run ${name}` : `${pm} ${name}`);
  return {
    install,
    build: has("build") ? run("build") : null,
    test:
      has("test") && !NO_TEST.test(scripts.test as string)
        ? pm === "npm"
          ? "npm test"
          : `${pm} test`
        : null,
    lint: has("lint") ? run("lint") : null,
  };
}

async function fromPython(src: ManifestSource): Promise<Partial | null> {
  const pyproject = await src.read("pyproject.toml");
  const requirements = await src.exists("requirements.txt");
  if (pyproject === null && !requirements) return null;
  const py = pyproject ?? "";
  const runner = /^\[tool\.poetry\]/m.test(py)
    ? "poetry"
    : (await src.exists("uv.lock"))
      ? "uv"
      : (await src.exists("Pipfile"))
        ? "pipenv"
        : null;
  const install =
    runner === "poetry"
      ? "poetry install"
      : runner === "uv"
        ? "uv sync"
        : runner === "pipenv"
          ? "pipenv install --dev"
          : pyproject !== null
            ? "pip install -e ."
            : "pip install -r requirements.txt";
  const prefix =
    runner === "poetry"
      ? "poetry run "
      : runner === "uv"
        ? "uv run "
        : runner === "pipenv"
          ? "pipenv run "
          : "";
  const usesPytest =
    /\[tool\.pytest/.test(py) ||
    /\bpytest\b/.test(py) ||
    (requirements && /\bpytest\b/.test((await src.read("requirements.txt")) ?? "")) ||
    (await src.exists("pytest.ini")) ||
    (await src.exists("tests"));
  const lint = /\[tool\.ruff/.test(py) ? `${prefix}ruff check .` : null;
  return {
    install,
    build: /^\[build-system\]/m.test(py) ? `${prefix}python -m build` : null,
    test: usesPytest ? `${prefix}pytest` : null,
    lint,
  };
}

/** Targets a Makefile defines (`name:` at the start of a line, not variables or patterns). */
export function makeTargets(makefile: string): Set<string> {
  const targets = new Set<string>();
  for (const m of makefile.matchAll(/^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:(?!=)/gm)) targets.add(m[1] as string);
  return targets;
}

async function fromMakefile(src: ManifestSource): Promise<{ partial: Partial; name: string } | null> {
  for (const name of ["Makefile", "makefile", "GNUmakefile"]) {
    const text = await src.read(name);
    if (text === null) continue;
    const t = makeTargets(text);
    const pick = (...names: string[]) => {
      const found = names.find((n) => t.has(n));
      return found ? `make ${found}` : null;
    };
    return {
      name,
      partial: {
        install: pick("install-deps", "deps", "setup", "bootstrap"),
        build: pick("build", "all"),
        test: pick("test", "check"),
        lint: pick("lint"),
      },
    };
  }
  return null;
}

async function fromOthers(src: ManifestSource): Promise<{ partial: Partial; name: string } | null> {
  if (await src.exists("Cargo.toml")) {
    return {
      name: "Cargo.toml",
      partial: { install: "cargo fetch", build: "cargo build", test: "cargo test", lint: "cargo clippy" },
    };
  }
  if (await src.exists("go.mod")) {
    return {
      name: "go.mod",
      partial: {
        install: "go mod download",
        build: "go build ./...",
        test: "go test ./...",
        lint: "go vet ./...",
      },
    };
  }
  return null;
}

/** The commands of the project in `dir` (a working tree). */
export function detectCommands(dir: string): Promise<DetectedCommands> {
  return detectCommandsIn(directorySource(dir));
}

/** The commands from any source: the language manifest first, the Makefile filling gaps. */
export async function detectCommandsIn(src: ManifestSource): Promise<DetectedCommands> {
  const found: { name: string; partial: Partial }[] = [];
  const node = await fromPackageJson(src);
  if (node) found.push({ name: "package.json", partial: node });
  const python = await fromPython(src);
  if (python)
    found.push({
      name: (await src.exists("pyproject.toml")) ? "pyproject.toml" : "requirements.txt",
      partial: python,
    });
  const other = await fromOthers(src);
  if (other) found.push(other);
  const make = await fromMakefile(src);
  if (make) found.push(make);
  const result: DetectedCommands = { install: null, build: null, test: null, lint: null, sources: [] };
  for (const { name, partial } of found) {
    let used = false;
    for (const key of ["install", "build", "test", "lint"] as const) {
      if (!result[key] && partial[key]) {
        result[key] = partial[key];
        used = true;
      }
    }
    if (used) result.sources.push(name);
  }
  return result;
}

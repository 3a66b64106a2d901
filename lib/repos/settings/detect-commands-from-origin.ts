import { gitBare } from "../git";
import type { ProjectCommands } from "./types";

const MAX_FILE = 512 * 1024;

async function readBlob(origin: string, branch: string, file: string): Promise<string | null> {
  const ref = `refs/heads/${branch}:${file}`;
  const { stdout: size, code } = await gitBare(origin, ["cat-file", "-s", ref], { okCodes: [128] });
  if (code !== 0 || Number(size.trim()) > MAX_FILE) return null;
  const { stdout } = await gitBare(origin, ["cat-file", "blob", ref]);
  return stdout;
}

async function has(origin: string, branch: string, file: string): Promise<boolean> {
  const { code } = await gitBare(origin, ["cat-file", "-e", `refs/heads/${branch}:${file}`], {
    okCodes: [1, 128],
  });
  return code === 0;
}

function fromPackageJson(text: string): { test: boolean; build: boolean } {
  try {
    const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
    // npm's placeholder `echo "Error: no test specified" && exit 1` is not a test suite.
    const test = typeof scripts.test === "string" && !/no test specified/.test(scripts.test);
    return { test, build: typeof scripts.build === "string" };
  } catch {
    return { test: false, build: false };
  }
}

function makeTargets(text: string): Set<string> {
  const targets = new Set<string>();
  for (const m of text.matchAll(/^([A-Za-z0-9_.-]+)\s*:(?!=)/gm)) if (m[1]) targets.add(m[1]);
  return targets;
}

/**
 * The project's test, build and install commands, guessed from the default branch of its bare
 * origin (read with git, no checkout): package.json scripts with the lockfile's package manager,
 * pyproject.toml → pytest, Makefile targets. Nulls where nothing says.
 */
export async function detectCommandsFromOrigin(origin: string, branch: string): Promise<ProjectCommands> {
  const out: ProjectCommands = { testCommand: null, buildCommand: null, installCommand: null };
  const pkg = await readBlob(origin, branch, "package.json");
  if (pkg !== null) {
    const [pnpm, yarn, bun] = await Promise.all(
      ["pnpm-lock.yaml", "yarn.lock", "bun.lockb"].map((f) => has(origin, branch, f)),
    );
    const npmLock = !pnpm && !yarn && !bun && (await has(origin, branch, "package-lock.json"));
    const pm = pnpm ? "pnpm" : yarn ? "yarn" : bun ? "bun" : "npm";
    out.installCommand = pnpm
      ? "pnpm install --frozen-lockfile"
      : yarn
        ? "yarn install --frozen-lockfile"
        : bun
          ? "bun install --frozen-lockfile"
          : npmLock
            ? "npm ci"
            : "npm install";
    const scripts = fromPackageJson(pkg);
    if (scripts.test) out.testCommand = pm === "npm" ? "npm test" : `${pm} test`;
    if (scripts.build) out.buildCommand = `${pm} run build`;
  }
  if (!out.testCommand && (await has(origin, branch, "pyproject.toml"))) out.testCommand = "pytest";
  const makefile = await readBlob(origin, branch, "Makefile");
  if (makefile !== null) {
    const targets = makeTargets(makefile);
    if (!out.testCommand && targets.has("test")) out.testCommand = "make test";
    if (!out.buildCommand && targets.has("build")) out.buildCommand = "make build";
  }
  return out;
}

import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { projectRepositories, projects } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { type OrgContext, resolveOrgContext } from "@/lib/orgs/context";
import { createProject } from "@/lib/projects/create-project";
import { createProjectSchema } from "@/lib/projects/schemas";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { makeUpstream } from "@/tests/support/git-remote";
import { git, gitBare } from "../git";
import { originPath, reposDir } from "../paths";
import { detectCommandsFromOrigin } from "../settings/detect-commands-from-origin";
import { fetchAll } from "./remote-git";
import { vetRemoteUrl } from "./vet-remote-url";

const meta = { ip: "198.51.100.7", userAgent: "vitest" };

let ctx: OrgContext;
let orgId: string;
beforeEach(async () => {
  setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
  const t = await createTeam();
  orgId = t.org.id;
  ctx = await resolveOrgContext(t.member, t.org.slug, "projects.write", meta);
});
afterEach(() => setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: undefined }));

const create = (input: Record<string, unknown>) => createProject(ctx, createProjectSchema.parse(input));

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function projectCount(): Promise<number> {
  const db = await getDb();
  return (await db.select().from(projects).where(eq(projects.orgId, orgId))).length;
}

/** What the organization's folder of origins holds (nothing left over after a failure). */
function originsOnDisk(): string[] {
  const dir = path.join(reposDir(), orgId);
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe("importing a project from a remote", () => {
  it("mirrors every branch, takes the default branch from the remote's HEAD and detects the commands", async () => {
    const upstream = await makeUpstream({
      defaultBranch: "trunk",
      branches: ["feature/csv"],
      files: {
        "package.json": JSON.stringify({
          scripts: { test: "vitest run", build: "next build", lint: "biome ci" },
        }),
        "pnpm-lock.yaml": "lockfileVersion: 9\n",
        "src/index.ts": "export const x = 1;\n",
      },
    });
    const p = await create({ name: "Imported", import: { url: `file://${upstream.dir}`, token: "tok_123" } });
    const db = await getDb();
    const [repo] = await db.select().from(projectRepositories).where(eq(projectRepositories.projectId, p.id));
    expect(repo).toMatchObject({
      orgId,
      defaultBranch: "trunk",
      remoteUrl: upstream.dir,
      remoteProvider: "git",
      remoteRepo: null,
      testCommand: "pnpm test",
      buildCommand: "pnpm build",
      installCommand: "pnpm install --frozen-lockfile",
      lintCommand: "pnpm lint",
      sandboxImage: null,
    });
    expect(repo?.remoteTokenEncrypted).not.toContain("tok_123");
    expect(decryptSecret(repo?.remoteTokenEncrypted ?? "")).toBe("tok_123");
    const origin = originPath(orgId, p.id);
    const { stdout: head } = await gitBare(origin, ["symbolic-ref", "HEAD"]);
    expect(head.trim()).toBe("refs/heads/trunk");
    const { stdout: refs } = await gitBare(origin, ["for-each-ref", "--format=%(refname) %(objectname)"]);
    expect(refs.trim().split("\n").sort()).toEqual(
      [`refs/heads/feature/csv ${upstream.head}`, `refs/heads/trunk ${upstream.head}`].sort(),
    );
    // The origin keeps no link to the import source (git config remote.*).
    const { stdout: config } = await gitBare(origin, ["config", "--list", "--local"]);
    expect(config).not.toContain(upstream.dir);
    expect(originsOnDisk()).toEqual([`${p.id}.git`]);
  });

  it("starts an empty remote with the README commit a new project gets", async () => {
    const upstream = await makeUpstream({ empty: true });
    const p = await create({ name: "Blank", brief: "Hello", import: { url: upstream.dir } });
    const { stdout } = await gitBare(originPath(orgId, p.id), ["show", "main:README.md"]);
    expect(stdout).toContain("# Blank");
  });

  it("answers a failed clone with a field message and leaves no project and no folder", async () => {
    const before = await projectCount();
    const missing = await failure(create({ name: "Ghost", import: { url: "/nonexistent/repo.git" } }));
    expect(missing.status).toBe(422);
    expect(missing.fieldErrors?.["import.url"]?.[0]).toMatch(/No repository was found/);
    expect(await projectCount()).toBe(before);
    expect(originsOnDisk()).toEqual([]);
  });

  it("removes what it fetched when the project cannot be inserted (slug taken)", async () => {
    const upstream = await makeUpstream();
    await create({ name: "Taken", slug: "taken" });
    const before = originsOnDisk();
    const error = await failure(
      create({ name: "Taken again", slug: "taken", import: { url: upstream.dir } }),
    );
    expect(error.status).toBe(409);
    expect(originsOnDisk()).toEqual(before);
  });

  it("refuses local paths unless the operator allows them, and internal addresses", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: undefined });
    const upstream = await makeUpstream();
    for (const url of [
      upstream.dir,
      `file://${upstream.dir}`,
      "file:///etc",
      "https://127.0.0.1/x.git",
      "https://169.254.169.254/x",
      "https://[::1]/x.git",
    ]) {
      const error = await failure(create({ name: "Local", import: { url } }));
      expect(error.status, url).toBe(422);
      expect(error.fieldErrors?.["import.url"], url).toHaveLength(1);
    }
    expect(await projectCount()).toBe(0);
    expect(originsOnDisk()).toEqual([]);
  });
});

describe("import size limit", () => {
  it("stops a fetch whose pack grows past the limit and says so", async () => {
    const big = randomBytes(3 * 1024 * 1024).toString("base64");
    const upstream = await makeUpstream({
      files: { "a.bin": big, "b.bin": big.split("").reverse().join("") },
    });
    const dir = path.join(reposDir(), "size-test", `${randomUUID()}.git`);
    await mkdir(path.dirname(dir), { recursive: true });
    await git(["init", "--bare", "--quiet", dir], { cwd: path.dirname(dir) });
    const remote = await vetRemoteUrl(upstream.dir, { field: "url" });
    await expect(fetchAll(dir, remote, null, { maxBytes: 64 * 1024 })).rejects.toThrow(
      /larger than 65536 bytes/,
    );
    await fetchAll(dir, remote, null, { maxBytes: 64 * 1024 * 1024 });
    const { stdout } = await gitBare(dir, ["rev-parse", "refs/heads/main"]);
    expect(stdout.trim()).toBe(upstream.head);
  });
});

describe("commands detected from a bare origin", () => {
  it.each([
    [
      { "package.json": '{"scripts":{"test":"jest","lint":"biome check"}}', "package-lock.json": "{}" },
      ["npm test", null, "npm ci", "npm run lint"],
    ],
    [
      { "package.json": '{"scripts":{"build":"tsc"}}', "yarn.lock": "" },
      [null, "yarn build", "yarn install --frozen-lockfile", null],
    ],
    [
      { "package.json": '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' },
      [null, null, "npm install", null],
    ],
    [{ "pyproject.toml": "[project]\nname='x'\n" }, [null, null, "pip install -e .", null]],
    [
      { "pyproject.toml": "[project]\nname='x'\n[tool.ruff]\nline-length = 100\n" },
      [null, null, "pip install -e .", "ruff check ."],
    ],
    [
      { Makefile: "build:\n\tcc -o app app.c\ntest: build\n\t./app --test\nlint:\n\tcppcheck .\nX := 1\n" },
      ["make test", "make build", null, "make lint"],
    ],
    [{ "README.md": "nothing to run" }, [null, null, null, null]],
    [{ "package.json": "not json" }, [null, null, null, null]],
  ])("%j", async (files, [testCommand, buildCommand, installCommand, lintCommand]) => {
    const upstream = await makeUpstream({ files });
    expect(await detectCommandsFromOrigin(upstream.dir, "main")).toEqual({
      testCommand,
      buildCommand,
      installCommand,
      lintCommand,
    });
  });

  it("finds nothing on a branch that does not exist", async () => {
    const upstream = await makeUpstream({ files: { Makefile: "test:\n\ttrue\n" } });
    expect(await detectCommandsFromOrigin(upstream.dir, "nope")).toEqual({
      testCommand: null,
      buildCommand: null,
      installCommand: null,
      lintCommand: null,
    });
  });
});

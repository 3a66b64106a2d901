import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/git/[org]/[...path]/route";
import { getDb } from "@/db";
import { auditLogs } from "@/db/schema";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createProject } from "@/lib/projects/create-project";
import { createProjectSchema } from "@/lib/projects/schemas";
import { limiterFor } from "@/lib/rate-limit";
import { POLICIES } from "@/lib/rate-limit/policies";
import { gitBare } from "@/lib/repos/git";
import { originPath, reposDir } from "@/lib/repos/paths";
import { mintApiKey } from "@/tests/support/api-keys";
import { createTeam } from "@/tests/support/factories";
import { type FetchHandler, startFetchServer } from "@/tests/support/fetch-server";
import { commitToOrigin } from "@/tests/support/repo-fixtures";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { handleGitRequest } from "./handle-git-request";

const sent = vi.hoisted(() => ({ names: [] as string[] }));
vi.mock("@/inngest/client", () => ({
  inngest: {
    send: async (e: { name: string }) => {
      sent.names.push(e.name);
      return { ids: ["x"] };
    },
  },
}));

const meta = { ip: "198.51.100.8", userAgent: "vitest" };

/** Like Next's router for app/git/[org]/[...path]: decoded segments to the route's params. */
function nextRoute(handlers: { GET: typeof GET; POST: typeof POST }): FetchHandler {
  return async (req) => {
    const segments = new URL(req.url).pathname.split("/").slice(1);
    if (segments[0] !== "git" || segments.length < 3) return new Response("no route", { status: 404 });
    let decoded: string[];
    try {
      decoded = segments.slice(1).map((s) => decodeURIComponent(s));
    } catch {
      return new Response("bad url", { status: 400 });
    }
    const [org, ...rest] = decoded as [string, ...string[]];
    const ctx = { params: Promise.resolve({ org, path: rest }) };
    if (req.method === "GET") return handlers.GET(req, ctx);
    if (req.method === "POST") return handlers.POST(req, ctx);
    return new Response("method", { status: 405 });
  };
}

type GitRun = { code: number; stdout: string; stderr: string };

let home: string;
let work: string;

/** The real git client, as a user runs it: clean HOME, no system config, never prompting. */
function runGit(args: string[], cwd = work): Promise<GitRun> {
  return new Promise((resolve) => {
    execFile(
      "git",
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          GIT_CONFIG_NOSYSTEM: "1",
          GIT_TERMINAL_PROMPT: "0",
          GIT_AUTHOR_NAME: "Dev",
          GIT_AUTHOR_EMAIL: "dev@example.test",
          GIT_COMMITTER_NAME: "Dev",
          GIT_COMMITTER_EMAIL: "dev@example.test",
          LANG: "C",
          LC_ALL: "C",
        } as unknown as NodeJS.ProcessEnv,
        timeout: 60_000,
      },
      (error: (Error & { code?: unknown }) | null, stdout: string, stderr: string) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** A raw request with the path sent exactly as written (no client-side `..` normalization). */
function rawRequest(
  base: string,
  rawPath: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: rawPath,
        method: opts.method ?? "GET",
        headers: opts.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const basic = (secret: string) => ({
  authorization: `Basic ${Buffer.from(`x:${secret}`).toString("base64")}`,
});

describe("git over HTTPS", () => {
  let server: Awaited<ReturnType<typeof startFetchServer>>;
  let team: Awaited<ReturnType<typeof createTeam>>;
  let project: { id: string; slug: string };
  let origin: string;
  let keys: Record<"read" | "write" | "admin" | "other", { id: string; prefix: string; secret: string }>;
  const cloneUrl = (secret: string | null, slug = project.slug, org = team.org.slug) =>
    `${server.url.replace("http://", secret === null ? "http://" : `http://x:${secret}@`)}/git/${org}/${slug}.git`;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "dm-git-home-"));
    work = await mkdtemp(path.join(os.tmpdir(), "dm-git-work-"));
    server = await startFetchServer(nextRoute({ GET, POST }));
    team = await createTeam();
    const ctx = await resolveOrgContext(team.member, team.org.slug, "projects.write", meta);
    project = await createProject(ctx, createProjectSchema.parse({ name: "Shop", brief: "Sell things." }));
    origin = originPath(team.org.id, project.id);
    keys = {
      read: await mintApiKey(team.owner, team.org.slug, ["repos.read"]),
      write: await mintApiKey(team.owner, team.org.slug, ["repos.read", "repos.write"]),
      admin: await mintApiKey(team.owner, team.org.slug, [
        "repos.read",
        "repos.write",
        "repos.write_default",
      ]),
      other: await mintApiKey(team.outsider, team.otherOrg.slug, [
        "repos.read",
        "repos.write",
        "repos.write_default",
      ]),
    };
  });

  afterAll(async () => {
    await server?.close();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  const head = async (ref: string) =>
    (await gitBare(origin, ["rev-parse", "--verify", "-q", ref], { okCodes: [1] })).stdout.trim();

  it("clones with a repos.read key (Basic password) and fetches a new commit", async () => {
    const dir = path.join(work, "clone-read");
    const clone = await runGit(["clone", cloneUrl(keys.read.secret), dir]);
    expect(clone.stderr).not.toContain("fatal");
    expect(clone.code).toBe(0);
    expect(await readFile(path.join(dir, "README.md"), "utf8")).toContain("# Shop");
    expect((await runGit(["rev-parse", "--abbrev-ref", "HEAD"], dir)).stdout.trim()).toBe("main");

    const sha = await commitToOrigin(origin, {
      branch: "main",
      changes: [{ path: "app.txt", content: "v2\n" }],
      message: "Add app",
    });
    const fetch = await runGit(["fetch", "origin"], dir);
    expect(fetch.code).toBe(0);
    expect((await runGit(["rev-parse", "origin/main"], dir)).stdout.trim()).toBe(sha);
    // The old protocol too (git's own fallback for old servers and clients).
    const v0 = await runGit(["-c", "protocol.version=0", "fetch", "origin"], dir);
    expect(v0.code).toBe(0);
    // A partial clone, for large repositories.
    const partial = await runGit([
      "clone",
      "--filter=blob:none",
      cloneUrl(keys.read.secret),
      path.join(work, "partial"),
    ]);
    expect(partial.code).toBe(0);
    expect(partial.stderr).not.toContain("filtering not recognized");
  });

  it("pushes a new branch with a repos.write key, audited with the refs and the key prefix", async () => {
    const dir = path.join(work, "clone-write");
    expect((await runGit(["clone", cloneUrl(keys.write.secret), dir])).code).toBe(0);
    await writeFile(path.join(dir, "feature.txt"), "feature\n");
    await runGit(["add", "feature.txt"], dir);
    await runGit(["commit", "-m", "Feature"], dir);
    const sha = (await runGit(["rev-parse", "HEAD"], dir)).stdout.trim();
    sent.names.length = 0;
    const push = await runGit(["push", "origin", "HEAD:refs/heads/feature/one"], dir);
    expect(push.stderr).toContain("feature/one");
    expect(push.code).toBe(0);
    expect(await head("refs/heads/feature/one")).toBe(sha);
    // Not the default branch: the knowledge base has nothing to re-index.
    expect(sent.names).not.toContain("knowledge/repository.changed");

    const db = await getDb();
    const rows = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, team.org.id), eq(auditLogs.action, "repo.push")));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actorId).toBe(team.owner.id);
    expect(rows[0]?.metadata).toMatchObject({
      refs: [{ ref: "refs/heads/feature/one", old: null, new: sha }],
      refCount: 1,
      keyPrefix: keys.write.prefix,
      apiKeyId: keys.write.id,
      via: "api_key",
    });

    // Deleting a branch that is not the default works with repos.write.
    const del = await runGit(["push", "origin", "--delete", "feature/one"], dir);
    expect(del.code).toBe(0);
    expect(await head("refs/heads/feature/one")).toBe("");
  });

  it("streams a large push (git probes, then sends the pack chunked) into the origin", async () => {
    const dir = path.join(work, "clone-large");
    expect((await runGit(["clone", cloneUrl(keys.write.secret), dir])).code).toBe(0);
    await writeFile(path.join(dir, "large.bin"), randomBytes(3 * 1024 * 1024));
    await runGit(["add", "large.bin"], dir);
    await runGit(["commit", "-m", "Large"], dir);
    const push = await runGit(["push", "origin", "HEAD:refs/heads/large"], dir);
    expect(push.code).toBe(0);
    const sha = (await runGit(["rev-parse", "HEAD"], dir)).stdout.trim();
    expect(await head("refs/heads/large")).toBe(sha);
    const { stdout } = await gitBare(origin, ["cat-file", "-s", `${sha}:large.bin`]);
    expect(stdout.trim()).toBe(String(3 * 1024 * 1024));
  });

  it("refuses the default branch without repos.write_default, with git's own message; allows it with", async () => {
    const dir = path.join(work, "clone-default");
    expect((await runGit(["clone", cloneUrl(keys.write.secret), dir])).code).toBe(0);
    await writeFile(path.join(dir, "main.txt"), "main\n");
    await runGit(["add", "main.txt"], dir);
    await runGit(["commit", "-m", "On main"], dir);
    const before = await head("refs/heads/main");
    const refused = await runGit(["push", "origin", "main"], dir);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("[remote rejected]");
    expect(refused.stderr).toContain("remote: DafnckMachine: push refused");
    expect(refused.stderr).toContain(
      'pushing to the default branch "main" needs an API key with the repos.write_default scope',
    );
    expect(await head("refs/heads/main")).toBe(before);

    // Several refs at once: all or nothing, each reported.
    const both = await runGit(["push", "origin", "main", "HEAD:refs/heads/side"], dir);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain("another ref in this push was refused");
    expect(await head("refs/heads/side")).toBe("");

    await runGit(["remote", "set-url", "origin", cloneUrl(keys.admin.secret)], dir);
    sent.names.length = 0;
    const allowed = await runGit(["push", "origin", "main"], dir);
    expect(allowed.code).toBe(0);
    // The default branch moved: its docs are re-indexed.
    await expect.poll(() => sent.names).toContain("knowledge/repository.changed");
    expect(await head("refs/heads/main")).toBe((await runGit(["rev-parse", "HEAD"], dir)).stdout.trim());

    // Never deleted over git, nor anything but branches pushed.
    const del = await runGit(["push", "origin", "--delete", "main"], dir);
    expect(del.code).not.toBe(0);
    expect(del.stderr).toContain('the default branch "main" cannot be deleted');
    const tag = await runGit(["push", "origin", "HEAD:refs/tags/v1"], dir);
    expect(tag.code).not.toBe(0);
    expect(tag.stderr).toContain("only branches (refs/heads/*) can be pushed here");
    expect(await head("refs/tags/v1")).toBe("");
  });

  it("an archived project can be cloned but not pushed to", async () => {
    const archived = await createProjectRow(team.org.id, { status: "archived" });
    const dir = path.join(work, "clone-archived");
    expect((await runGit(["clone", cloneUrl(keys.admin.secret, archived.slug), dir])).code).toBe(0);
    const push = await runGit(["push", "origin", "HEAD:refs/heads/x"], dir);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain("remote: This project is archived and read-only; unarchive it to push.");
  });

  it("a read-only key cannot push: 403 naming the scope", async () => {
    const dir = path.join(work, "clone-ro");
    expect((await runGit(["clone", cloneUrl(keys.read.secret), dir])).code).toBe(0);
    const push = await runGit(["push", "origin", "HEAD:refs/heads/ro"], dir);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('remote: This API key lacks the "repos.write" scope.');
    expect(push.stderr).toContain("403");
    expect(await head("refs/heads/ro")).toBe("");
  });

  it("another org's key and an unknown project are the same 'not found'", async () => {
    const other = await runGit(["clone", cloneUrl(keys.other.secret), path.join(work, "other")]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/repository '.*' not found/);
    const missing = await runGit(["clone", cloneUrl(keys.read.secret, "nope"), path.join(work, "missing")]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/repository '.*' not found/);
    // The other org's key with the other org's slug and our project's slug: still not found.
    const cross = await runGit([
      "clone",
      cloneUrl(keys.other.secret, project.slug, team.otherOrg.slug),
      path.join(work, "cross"),
    ]);
    expect(cross.code).not.toBe(0);
    expect(cross.stderr).toMatch(/not found/);
  });

  it("no key, a bad key or a revoked key: 401 with the Basic challenge", async () => {
    const none = await runGit(["clone", cloneUrl(null), path.join(work, "none")]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("terminal prompts disabled");
    const raw = await rawRequest(
      server.url,
      `/git/${team.org.slug}/${project.slug}.git/info/refs?service=git-upload-pack`,
    );
    expect(raw.status).toBe(401);
    expect(raw.headers["www-authenticate"]).toBe('Basic realm="DafnckMachine"');

    const bad = await runGit(["clone", cloneUrl("dmk_000000000000_nope"), path.join(work, "bad")]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Authentication failed");

    const key = await mintApiKey(team.owner, team.org.slug, ["repos.read"]);
    expect((await runGit(["clone", cloneUrl(key.secret), path.join(work, "before-revoke")])).code).toBe(0);
    const ctx = await resolveOrgContext(team.owner, team.org.slug, "api_keys.manage", meta);
    await revokeApiKey(ctx, key.id);
    const revoked = await runGit(["clone", cloneUrl(key.secret), path.join(work, "revoked")]);
    expect(revoked.code).not.toBe(0);
    expect(revoked.stderr).toContain("Authentication failed");
    // Bearer works as well as Basic.
    const bearer = await rawRequest(
      server.url,
      `/git/${team.org.slug}/${project.slug}.git/info/refs?service=git-upload-pack`,
      { headers: { authorization: `Bearer ${keys.read.secret}` } },
    );
    expect(bearer.status).toBe(200);
    expect(bearer.headers["content-type"]).toBe("application/x-git-upload-pack-advertisement");
    const header = await runGit([
      "-c",
      `http.extraHeader=Authorization: Bearer ${keys.read.secret}`,
      "clone",
      cloneUrl(null),
      path.join(work, "bearer"),
    ]);
    expect(header.code).toBe(0);
  });

  it("serves only the smart services of a project found by id: traversal, odd slugs and dumb paths are refused", async () => {
    const before = await readdir(reposDir(), { recursive: true });
    const auth = basic(keys.admin.secret);
    const base = `/git/${team.org.slug}/${project.slug}.git`;
    const cases: [string, number][] = [
      [`${base}/info/refs?service=git-foo`, 400],
      [`${base}/info/refs?service=git-upload-archive`, 400],
      [`${base}/info/refs`, 403],
      [`${base}/HEAD`, 404],
      [`${base}/objects/info/packs`, 404],
      [`${base}/objects/00/0000000000000000000000000000000000000000`, 404],
      [`${base}/config`, 404],
      [`/git/${team.org.slug}/../../x.git/info/refs?service=git-upload-pack`, 404],
      [`/git/${team.org.slug}/..%2F..%2Fx.git/info/refs?service=git-upload-pack`, 404],
      [`/git/${team.org.slug}/%2e%2e/info/refs?service=git-upload-pack`, 404],
      [`/git/${team.org.slug}/${project.id}.git/info/refs?service=git-upload-pack`, 404],
      [`/git/${team.org.slug}/Shop.git/info/refs?service=git-upload-pack`, 404],
      [`/git/${team.org.slug}/-x.git/info/refs?service=git-upload-pack`, 404],
      [`/git/${team.org.id}/${project.slug}.git/info/refs?service=git-upload-pack`, 404],
      [`/git/..%2F${team.org.slug}/${project.slug}.git/info/refs?service=git-upload-pack`, 404],
      [`/git/${team.otherOrg.slug}/${project.slug}.git/info/refs?service=git-upload-pack`, 404],
    ];
    for (const [p, status] of cases) {
      const res = await rawRequest(server.url, p, { headers: auth });
      expect([p, res.status]).toEqual([p, status]);
    }
    const wrongMethod = await rawRequest(server.url, `${base}/git-upload-pack`, { headers: auth });
    expect(wrongMethod.status).toBe(405);
    const wrongType = await rawRequest(server.url, `${base}/git-upload-pack`, {
      method: "POST",
      headers: { ...auth, "content-type": "text/plain" },
      body: Buffer.from("0000"),
    });
    expect(wrongType.status).toBe(415);
    const junkPush = await rawRequest(server.url, `${base}/git-receive-pack`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-git-receive-pack-request" },
      body: Buffer.from("zzzz../../etc/passwd"),
    });
    expect(junkPush.status).toBe(400);
    expect(await readdir(reposDir(), { recursive: true })).toEqual(before);
  });

  it("takes a gzip-encoded upload-pack request (what git sends for large negotiations)", async () => {
    const sha = await head("refs/heads/main");
    const want = `want ${sha} ofs-delta\n`;
    const pkt = (s: string) => `${(s.length + 4).toString(16).padStart(4, "0")}${s}`;
    const body = gzipSync(Buffer.from(`${pkt(want)}0000${pkt("done\n")}`));
    const res = await rawRequest(server.url, `/git/${team.org.slug}/${project.slug}.git/git-upload-pack`, {
      method: "POST",
      headers: {
        ...basic(keys.read.secret),
        "content-type": "application/x-git-upload-pack-request",
        "content-encoding": "gzip",
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-git-upload-pack-result");
    expect(res.body.subarray(0, 8).toString()).toBe("0008NAK\n");
    expect(res.body.includes(Buffer.from("PACK"))).toBe(true);
  });

  it("refuses a push over the size cap with a clear message, and changes nothing", async () => {
    const small = await startFetchServer(
      nextRoute({
        GET: async (req, { params }) => handleGitRequest(req, await params, { maxPushBytes: 64 * 1024 }),
        POST: async (req, { params }) => handleGitRequest(req, await params, { maxPushBytes: 64 * 1024 }),
      }),
    );
    try {
      const dir = path.join(work, "clone-big");
      const url = `${small.url.replace("http://", `http://x:${keys.write.secret}@`)}/git/${team.org.slug}/${project.slug}.git`;
      expect((await runGit(["clone", url, dir])).code).toBe(0);
      await writeFile(path.join(dir, "big.bin"), randomBytes(2 * 1024 * 1024));
      await runGit(["add", "big.bin"], dir);
      await runGit(["commit", "-m", "Big"], dir);
      const push = await runGit(["push", "origin", "HEAD:refs/heads/big"], dir);
      expect(push.code).not.toBe(0);
      expect(push.stderr).toContain(
        "remote: DafnckMachine: push refused: the push is larger than the 64 KB limit",
      );
      expect(push.stderr).toContain("[remote rejected]");
      expect(await head("refs/heads/big")).toBe("");
    } finally {
      await small.close();
    }
  });

  it("rate-limits per key: 429 with Retry-After", async () => {
    const key = await mintApiKey(team.owner, team.org.slug, ["repos.read"]);
    await (await limiterFor("git.key")).penalty(key.id, POLICIES["git.key"].points);
    const res = await rawRequest(
      server.url,
      `/git/${team.org.slug}/${project.slug}.git/info/refs?service=git-upload-pack`,
      {
        headers: basic(key.secret),
      },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    const clone = await runGit(["clone", cloneUrl(key.secret), path.join(work, "limited")]);
    expect(clone.code).not.toBe(0);
    expect(clone.stderr).toContain("Too many requests");
  });
});

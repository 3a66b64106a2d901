import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditLogs } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createProject } from "@/lib/projects/create-project";
import { createProjectSchema } from "@/lib/projects/schemas";
import { gitBare } from "@/lib/repos/git";
import { originPath } from "@/lib/repos/paths";
import { mintApiKey } from "@/tests/support/api-keys";
import { createTeam } from "@/tests/support/factories";
import { startFetchServer } from "@/tests/support/fetch-server";
import { auditPush } from "./audit-push";
import { gitSlotsInUse } from "./concurrency";
import { type GitHttpOptions, handleGitRequest } from "./handle-git-request";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: ["x"] }) } }));

const meta = { ip: "198.51.100.9", userAgent: "vitest" };
const ZERO = "0".repeat(40);
const pkt = (s: string) => `${(Buffer.byteLength(s) + 4).toString(16).padStart(4, "0")}${s}`;
const basic = (secret: string) => ({
  authorization: `Basic ${Buffer.from(`x:${secret}`).toString("base64")}`,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what}: still pending after ${ms} ms`)))]);

function git(args: string[], cwd: string, input?: Buffer): Buffer {
  const run = spawnSync("git", args, {
    cwd,
    input,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Dev",
      GIT_AUTHOR_EMAIL: "dev@example.test",
      GIT_COMMITTER_NAME: "Dev",
      GIT_COMMITTER_EMAIL: "dev@example.test",
    } as unknown as NodeJS.ProcessEnv,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

/** A request whose body the test writes (and stops writing, or drops) itself. */
function openRequest(base: string, rawPath: string, headers: Record<string, string>) {
  const url = new URL(base);
  let req!: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req = httpRequest(
      { host: url.hostname, port: url.port, path: rawPath, method: "POST", headers },
      resolve,
    );
    req.on("error", reject);
  });
  response.catch(() => {});
  req.flushHeaders();
  return { req, response };
}

const readAll = (res: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve(Buffer.concat(chunks)));
    res.on("error", () => resolve(Buffer.concat(chunks)));
  });

describe("git over HTTPS: hostile and careless clients", () => {
  let team: Awaited<ReturnType<typeof createTeam>>;
  let project: { id: string; slug: string };
  let origin: string;
  let work: string;
  let write: { secret: string; prefix: string; id: string };
  let read: { secret: string };
  const servers: { close: () => Promise<void> }[] = [];
  /** A server for the route with these options; `answers` collects what the handler returned. */
  async function serve(opts: GitHttpOptions = {}) {
    const answers: Promise<Response>[] = [];
    const server = await startFetchServer((req) => {
      const segments = new URL(req.url).pathname.split("/").slice(2);
      const [org, ...rest] = segments as [string, ...string[]];
      const answer = handleGitRequest(req, { org, path: rest }, opts);
      answers.push(answer);
      return answer;
    });
    servers.push(server);
    return { ...server, answers };
  }
  const pushPath = () => `/git/${team.org.slug}/${project.slug}.git/git-receive-pack`;
  const pushHeaders = (extra: Record<string, string> = {}) => ({
    ...basic(write.secret),
    "content-type": "application/x-git-receive-pack-request",
    ...extra,
  });
  const head = async (ref: string) =>
    (await gitBare(origin, ["rev-parse", "--verify", "-q", ref], { okCodes: [1] })).stdout.trim();
  const pushAudits = async () => {
    const db = await getDb();
    return db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, team.org.id), eq(auditLogs.action, "repo.push")));
  };

  /** A real push request body: the command list and a pack built by `git pack-objects`. */
  async function pushBody(ref: string, file: string, content: string | Buffer = `${file}\n`) {
    const dir = await mkdtemp(path.join(work, "src-"));
    git(["clone", "--quiet", origin, dir], work);
    await writeFile(path.join(dir, file), content);
    git(["add", file], dir);
    git(["commit", "--quiet", "-m", file], dir);
    const base = git(["rev-parse", "origin/main"], dir).toString().trim();
    const sha = git(["rev-parse", "HEAD"], dir).toString().trim();
    const pack = git(
      ["pack-objects", "--revs", "--stdout", "--quiet"],
      dir,
      Buffer.from(`${sha}\n^${base}\n`),
    );
    const commands = Buffer.from(
      `${pkt(`${ZERO} ${sha} ${ref}\0report-status side-band-64k agent=test\n`)}0000`,
    );
    return { sha, body: Buffer.concat([commands, pack]) };
  }

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "dm-git-hard-"));
    team = await createTeam();
    const ctx = await resolveOrgContext(team.member, team.org.slug, "projects.write", meta);
    project = await createProject(ctx, createProjectSchema.parse({ name: "Hard", brief: "Edge cases." }));
    origin = originPath(team.org.id, project.id);
    write = await mintApiKey(team.owner, team.org.slug, ["repos.read", "repos.write"]);
    read = await mintApiKey(team.owner, team.org.slug, ["repos.read"]);
  });

  afterAll(async () => {
    for (const s of servers) await s.close();
    await rm(work, { recursive: true, force: true });
  });

  it("a gzip push dropped mid-body ends the request (no hang, no unhandled error)", async () => {
    const server = await serve({ bodyIdleMs: 60_000 });
    const { body } = await pushBody("refs/heads/dropped", "dropped.txt");
    const gz = gzipSync(body);
    const { req } = openRequest(server.url, pushPath(), pushHeaders({ "content-encoding": "gzip" }));
    req.write(gz.subarray(0, Math.floor(gz.length / 2)));
    await sleep(200);
    req.destroy();
    await sleep(50);
    expect(server.answers).toHaveLength(1);
    const answer = await within(server.answers[0] as Promise<Response>, 5000, "the dropped push");
    expect(answer.status).toBe(400);
    expect(await head("refs/heads/dropped")).toBe("");
    expect(gitSlotsInUse(team.org.id)).toBe(0);
  });

  it("a body that stalls is aborted after the idle timeout with 408", async () => {
    const server = await serve({ bodyIdleMs: 300 });
    const { body } = await pushBody("refs/heads/stalled", "stalled.txt");
    const gz = gzipSync(body);
    const { req, response } = openRequest(
      server.url,
      pushPath(),
      pushHeaders({ "content-encoding": "gzip" }),
    );
    req.write(gz.subarray(0, 20));
    const res = await within(response, 5000, "the stalled push");
    expect(res.statusCode).toBe(408);
    expect((await readAll(res)).toString()).toContain("stalled");
    req.destroy();
    expect(await head("refs/heads/stalled")).toBe("");
  });

  it("a body that trickles in past the whole-body deadline is aborted with 408", async () => {
    const server = await serve({ bodyIdleMs: 10_000, pushBodyDeadlineMs: 500 });
    const { req, response } = openRequest(server.url, pushPath(), pushHeaders());
    const line = Buffer.from(pkt(`${ZERO} ${"3".repeat(40)} refs/heads/trickle\0report-status\n`));
    let at = 0;
    const drip = setInterval(() => {
      if (at < line.length) req.write(line.subarray(at, ++at));
    }, 50);
    try {
      const res = await within(response, 5000, "the trickling push");
      expect(res.statusCode).toBe(408);
      expect((await readAll(res)).toString()).toContain("took longer than");
    } finally {
      clearInterval(drip);
      req.destroy();
    }
  });

  it("a corrupt gzip body is a 400 saying so, for a push and for a fetch", async () => {
    const server = await serve();
    const garbage = Buffer.concat([
      gzipSync(Buffer.from("0000")).subarray(0, 10),
      Buffer.from("not gzip at all"),
    ]);
    const push = openRequest(server.url, pushPath(), pushHeaders({ "content-encoding": "gzip" }));
    push.req.end(garbage);
    const pushRes = await within(push.response, 5000, "the corrupt push");
    expect(pushRes.statusCode).toBe(400);
    expect((await readAll(pushRes)).toString()).toContain("not valid gzip");

    const fetch = openRequest(server.url, `/git/${team.org.slug}/${project.slug}.git/git-upload-pack`, {
      ...basic(read.secret),
      "content-type": "application/x-git-upload-pack-request",
      "content-encoding": "gzip",
    });
    fetch.req.end(garbage);
    const fetchRes = await within(fetch.response, 5000, "the corrupt fetch");
    expect(fetchRes.statusCode).toBe(400);
    expect((await readAll(fetchRes)).toString()).toContain("not valid gzip");
  });

  it("a pusher that hangs up without reading the report: the ref moves and the push is audited", async () => {
    const server = await serve();
    const before = (await pushAudits()).length;
    // Large enough that git is still unpacking and updating refs when the route hands back its
    // response (as soon as the whole body is in): the pusher hangs up right then, reading nothing.
    const { sha, body } = await pushBody("refs/heads/hangup", "hangup.bin", randomBytes(24 * 1024 * 1024));
    const { req } = openRequest(server.url, pushPath(), pushHeaders());
    req.end(body);
    for (let i = 0; i < 200 && server.answers.length === 0; i++) await sleep(10);
    await within(server.answers[0] as Promise<Response>, 20_000, "the push");
    req.destroy();
    let audits = await pushAudits();
    for (let i = 0; i < 50 && audits.length === before; i++) {
      await sleep(100);
      audits = await pushAudits();
    }
    expect(await head("refs/heads/hangup")).toBe(sha);
    expect(audits).toHaveLength(before + 1);
    expect(audits.at(-1)?.metadata).toMatchObject({
      refs: [{ ref: "refs/heads/hangup", old: null, new: sha }],
      refsReadBack: true,
      keyPrefix: write.prefix,
    });
  });

  it("caps concurrent git processes per org: 429 with Retry-After, slots come back on every exit", async () => {
    const server = await serve({ concurrency: { perOrg: 1, global: 16 } });
    const advertise = () =>
      fetch(`${server.url}/git/${team.org.slug}/${project.slug}.git/info/refs?service=git-upload-pack`, {
        headers: basic(read.secret),
      });
    // A fetch whose client never finishes its negotiation holds the org's one slot…
    const slow = openRequest(server.url, `/git/${team.org.slug}/${project.slug}.git/git-upload-pack`, {
      ...basic(read.secret),
      "content-type": "application/x-git-upload-pack-request",
    });
    slow.req.write(pkt(`want ${await head("refs/heads/main")}\n`));
    await sleep(300);
    expect(gitSlotsInUse(team.org.id)).toBe(1);
    const busy = await advertise();
    expect(busy.status).toBe(429);
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await busy.text()).toContain("Too many git operations");
    // …until it goes away: git is stopped and the slot released.
    slow.req.destroy();
    for (let i = 0; i < 50 && gitSlotsInUse(team.org.id) > 0; i++) await sleep(100);
    expect(gitSlotsInUse(team.org.id)).toBe(0);
    const ok = await advertise();
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    // Answered without git (a refused push) and after git (the advertisement): released too.
    const refused = openRequest(server.url, pushPath(), pushHeaders({ "content-encoding": "gzip" }));
    refused.req.end(Buffer.from("garbage"));
    expect((await within(refused.response, 5000, "refused")).statusCode).toBe(400);
    for (let i = 0; i < 20 && gitSlotsInUse(team.org.id) > 0; i++) await sleep(50);
    expect(gitSlotsInUse(team.org.id)).toBe(0);
  });

  it("a refused push is answered without reading the rest of a large body", async () => {
    const server = await serve({ refusalDrain: { maxBytes: 64 * 1024, maxMs: 500 } });
    const main = await head("refs/heads/main");
    const { req, response } = openRequest(server.url, pushPath(), pushHeaders());
    // The command list (the default branch, which this key may not write), then the pack never comes.
    req.write(`${pkt(`${main} ${"1".repeat(40)} refs/heads/main\0report-status\n`)}0000PACK`);
    const res = await within(response, 5000, "the refusal");
    expect(res.statusCode).toBe(200);
    const report = (await readAll(res)).toString();
    expect(report).toContain("ng refs/heads/main");
    req.destroy();
    expect(await head("refs/heads/main")).toBe(main);
  });

  // Past the drain cap the route answers while git is still sending: curl reads that early
  // answer, so the user still sees the reason (next to curl's "Send failure").
  it("the real git client, pushing a large pack to a ref it may not write, prints why", async () => {
    const server = await serve({ refusalDrain: { maxBytes: 256 * 1024, maxMs: 2000 } });
    const dir = await mkdtemp(path.join(work, "big-"));
    git(["clone", "--quiet", origin, dir], work);
    await writeFile(path.join(dir, "big.bin"), randomBytes(6 * 1024 * 1024));
    git(["add", "big.bin"], dir);
    git(["commit", "--quiet", "-m", "big"], dir);
    const main = await head("refs/heads/main");
    const url = `${server.url.replace("http://", `http://x:${write.secret}@`)}/git/${team.org.slug}/${project.slug}.git`;
    const started = Date.now();
    const run = await new Promise<{ status: number; stderr: string }>((resolve) => {
      execFile(
        "git",
        ["push", url, "HEAD:refs/heads/main"],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH,
            HOME: dir,
            GIT_CONFIG_NOSYSTEM: "1",
            GIT_TERMINAL_PROMPT: "0",
            LANG: "C",
          } as unknown as NodeJS.ProcessEnv,
          timeout: 30_000,
        },
        (error, _stdout, stderr) => resolve({ status: error ? 1 : 0, stderr: String(stderr) }),
      );
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("remote: DafnckMachine: push refused");
    expect(run.stderr).toContain("repos.write_default");
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await head("refs/heads/main")).toBe(main);
  });

  it("when the refs cannot be read back, the push is audited with what was asked (refsReadBack: false)", async () => {
    const ctx = await resolveOrgContext(team.owner, team.org.slug, "projects.read", meta);
    const before = (await pushAudits()).length;
    const sha = "2".repeat(40);
    await auditPush(
      ctx,
      {
        projectId: project.id,
        projectSlug: project.slug,
        archived: false,
        defaultBranch: "main",
        origin: path.join(work, "no-such-origin.git"),
      },
      [{ oldSha: ZERO, newSha: sha, ref: "refs/heads/lost" }],
    );
    const audits = await pushAudits();
    expect(audits).toHaveLength(before + 1);
    expect(audits.at(-1)?.metadata).toMatchObject({
      refs: [{ ref: "refs/heads/lost", old: null, new: sha }],
      refsReadBack: false,
    });
  });
});

import * as childProcess from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { setTestEnv } from "@/tests/support/env";
import { INTERNAL_URLS, METADATA_URL, startRedirectServer } from "@/tests/support/redirect-server";
import { reposDir } from "../paths";
import { identifyRemote } from "./provider";
import { authorizationHeader, lsRemote, parseLsRemote } from "./remote-git";
import { vetRemoteUrl } from "./vet-remote-url";

vi.mock("node:child_process", async (importOriginal) => {
  const mod = await importOriginal<typeof import("node:child_process")>();
  return { ...mod, execFile: vi.fn(mod.execFile) };
});

const publicLookup = async () => [{ address: "140.82.121.3", family: 4 }];

async function refusal(input: string, lookup = publicLookup): Promise<string> {
  try {
    await vetRemoteUrl(input, { field: "url", lookup });
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.status).toBe(422);
    return e.fieldErrors?.url?.[0] ?? "";
  }
  throw new Error(`accepted ${input}`);
}

afterEach(() => {
  setTestEnv({
    REPOS_ALLOW_LOCAL_REMOTES: undefined,
    ALLOW_PRIVATE_NETWORK_URLS: undefined,
    GITHUB_API_URL: undefined,
  });
});

describe("remote URL policy", () => {
  it("accepts an https URL and pins git to the vetted address, with no redirects and no file transport", async () => {
    const remote = await vetRemoteUrl("https://github.com/acme/widgets.git", {
      field: "url",
      lookup: publicLookup,
    });
    expect(remote).toMatchObject({
      url: "https://github.com/acme/widgets.git",
      local: false,
      host: "github.com",
    });
    expect(remote.config).toEqual({
      "http.followRedirects": "false",
      "protocol.file.allow": "never",
      "protocol.http.allow": "never",
      "http.curloptResolve": "github.com:443:140.82.121.3",
    });
  });

  it.each([
    ["file:///etc", /Local paths and file/],
    ["/etc/passwd", /Local paths and file/],
    ["./repo", /Local paths and file/],
    ["~/repo", /Local paths and file/],
    ["ext::sh -c touch% /tmp/pwned", /spaces|transport/],
    ["ext::sh", /transport helpers/],
    ["fd::3", /transport helpers/],
    ["ssh://git@github.com/acme/widgets.git", /SSH and git:\/\//],
    ["git://github.com/acme/widgets.git", /SSH and git:\/\//],
    ["git@github.com:acme/widgets.git", /SSH remotes/],
    ["github.com:acme/widgets", /SSH remotes/],
    ["https://x-access-token:ghp_secret@github.com/acme/widgets.git", /token field/],
    ["https://user@github.com/acme/widgets.git", /token field/],
    ["-uhttps://github.com/acme/widgets.git", /hyphen/],
    ["--upload-pack=touch /tmp/x", /spaces|hyphen/],
    ["http://github.com/acme/widgets.git", /https:\/\//],
    ["https://github.com/acme/widgets.git?x=1", /query/],
    ["widgets", /full URL/],
    ["https://github.com/a\u0000b", /control/],
  ])("refuses %s", async (input, message) => {
    expect(await refusal(input)).toMatch(message);
  });

  it("refuses internal addresses while private-network URLs are off, with the one non-descriptive message", async () => {
    for (const url of [
      "https://127.0.0.1/acme.git",
      "https://169.254.169.254/latest/meta-data/",
      "https://[::1]/acme.git",
      "https://2130706433/acme.git",
      "https://[::ffff:127.0.0.1]/x.git",
    ]) {
      expect(await refusal(url), url).toBe("The address could not be reached or is not allowed.");
    }
    // A public-looking name that resolves inside the network.
    const lan = async () => [{ address: "10.0.0.7", family: 4 }];
    expect(await refusal("https://git.example.com/acme.git", lan)).toMatch(/could not be reached/);
    const mixed = async () => [
      { address: "140.82.121.3", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
    expect(await refusal("https://git.example.com/acme.git", mixed)).toMatch(/could not be reached/);
    for (const url of [...INTERNAL_URLS, METADATA_URL]) expect(await refusal(url), url).toMatch(/https:\/\//);
  });

  it("lets http and private addresses through only with the operator's setting, metadata never", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const lan = await vetRemoteUrl("http://127.0.0.1:8080/acme.git", { field: "url" });
    expect(lan.config["protocol.file.allow"]).toBe("never");
    expect(lan.config["protocol.http.allow"]).toBeUndefined();
    expect(await refusal(METADATA_URL)).toMatch(/could not be reached/);
    expect(await refusal("file:///etc")).toMatch(/Local paths/);
  });

  it("accepts file:// URLs and absolute paths only with REPOS_ALLOW_LOCAL_REMOTES, never the app's own folders", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
    const dir = mkdtempSync(path.join(os.tmpdir(), "dm-local-remote-"));
    expect(await vetRemoteUrl(`file://${dir}`, { field: "url" })).toMatchObject({
      url: dir,
      local: true,
      host: null,
    });
    expect((await vetRemoteUrl(dir, { field: "url" })).url).toBe(dir);
    expect(await refusal("relative/path")).toMatch(/full URL/);
    expect(await refusal("./repo")).toMatch(/absolute path/);
    expect(await refusal(path.join(reposDir(), "some-org", "some-project.git"))).toMatch(/own repositories/);
    expect(await refusal(`file://${reposDir()}/x.git`)).toMatch(/own repositories/);
    expect(await refusal("ext::sh")).toMatch(/transport helpers/);
    // Reaching them through a symlink, or through a folder whose .git file points into them.
    mkdirSync(reposDir(), { recursive: true });
    const alias = path.join(dir, "alias");
    symlinkSync(reposDir(), alias);
    expect(await refusal(path.join(alias, "some-org", "some-project.git"))).toMatch(/own repositories/);
    const gitfile = path.join(dir, "gitfile");
    mkdirSync(gitfile);
    writeFileSync(path.join(gitfile, ".git"), `gitdir: ${path.join(reposDir(), "o", "p.git")}\n`);
    expect(await refusal(gitfile)).toMatch(/points somewhere else/);
  });
});

describe("providers", () => {
  it("calls github.com remotes GitHub with owner/name, and the GitHub Enterprise host of GITHUB_API_URL", async () => {
    const gh = await vetRemoteUrl("https://github.com/acme/widgets.git", {
      field: "url",
      lookup: publicLookup,
    });
    expect(identifyRemote(gh)).toEqual({ provider: "github", repo: "acme/widgets" });
    const other = await vetRemoteUrl("https://gitlab.com/acme/widgets.git", {
      field: "url",
      lookup: publicLookup,
    });
    expect(identifyRemote(other)).toEqual({ provider: "git", repo: null });
    setTestEnv({ GITHUB_API_URL: "https://ghe.example.com/api/v3" });
    const ghe = await vetRemoteUrl("https://ghe.example.com/team/app", {
      field: "url",
      lookup: publicLookup,
    });
    expect(identifyRemote(ghe)).toEqual({ provider: "github", repo: "team/app" });
    const deep = await vetRemoteUrl("https://ghe.example.com/a/b/c.git", {
      field: "url",
      lookup: publicLookup,
    });
    expect(() => identifyRemote(deep, "github")).toThrow(AppError);
  });
});

describe("ls-remote output", () => {
  it("takes the default branch from HEAD's symref, else main, master or the first branch", () => {
    const sha = "a".repeat(40);
    expect(
      parseLsRemote(`ref: refs/heads/trunk\tHEAD\n${sha}\tHEAD\n${sha}\trefs/heads/trunk\n`).defaultBranch,
    ).toBe("trunk");
    expect(parseLsRemote(`${sha}\trefs/heads/dev\n${sha}\trefs/heads/master\n`).defaultBranch).toBe("master");
    expect(parseLsRemote(`${sha}\trefs/heads/dev\n`).defaultBranch).toBe("dev");
    expect(parseLsRemote("").defaultBranch).toBeNull();
  });
});

type Seen = { method?: string; url?: string; headers: IncomingHttpHeaders };

async function startAuthServer(
  status: number,
): Promise<{ url: string; seen: Seen[]; stop: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    // Echo the credentials back, as a misbehaving server might: none of it may reach the error.
    res.writeHead(status, { "www-authenticate": 'Basic realm="git"', "content-type": "text/plain" });
    res.end(`denied ${req.headers.authorization ?? ""}`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/acme/widgets.git`,
    seen,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

describe("credentials", () => {
  const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");

  it("sends the token only as a header from the environment: never in argv, never in the error", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const server = await startAuthServer(401);
    const execFile = vi.mocked(childProcess.execFile);
    execFile.mockClear();
    try {
      const remote = await vetRemoteUrl(server.url, { field: "url" });
      const error = await lsRemote(remote, token).then(
        () => null,
        (e: unknown) => e as AppError,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error?.message).toBe(
        "The remote refused the credentials: check the token and its access to this repository.",
      );
      expect(JSON.stringify({ ...error, message: error?.message, stack: error?.stack })).not.toContain(token);
      expect(JSON.stringify(error)).not.toContain(basic);
      expect(server.seen.some((s) => s.headers.authorization === `Basic ${basic}`)).toBe(true);
      const calls = execFile.mock.calls.filter((c) => c[0] === "git");
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        const args = call[1] as string[];
        expect(args.join(" ")).not.toContain(token);
        expect(args.join(" ")).not.toContain(basic);
        expect(args).toContain(remote.url);
        const env = (call[2] as { env: Record<string, string> }).env;
        expect(Object.values(env)).toContain(`Authorization: Basic ${basic}`);
        expect(Object.values(env)).toContain("false"); // http.followRedirects
      }
    } finally {
      await server.stop();
    }
  });

  it("connects to the address the guard vetted, not to a second lookup of the name", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const server = await startAuthServer(404);
    try {
      const port = new URL(server.url).port;
      // The name does not resolve anywhere; only the pin the guard produced can take git to the server.
      const lookup = async () => [{ address: "127.0.0.1", family: 4 }];
      const remote = await vetRemoteUrl(`http://git.pinned.invalid:${port}/acme/widgets.git`, {
        field: "url",
        lookup,
      });
      expect(remote.config["http.curloptResolve"]).toBe(`git.pinned.invalid:${port}:127.0.0.1`);
      await expect(lsRemote(remote, null)).rejects.toThrow(AppError);
      expect(server.seen[0]?.headers.host).toBe(`git.pinned.invalid:${port}`);
    } finally {
      await server.stop();
    }
  });

  it("does not follow a redirect (where the credentials header would go along)", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const target = await startAuthServer(200);
    const redirect = await startRedirectServer(target.url);
    try {
      const remote = await vetRemoteUrl(`${redirect.url}/acme/widgets.git`, { field: "url" });
      await expect(lsRemote(remote, token)).rejects.toThrow(/redirect/);
      expect(target.seen).toHaveLength(0);
    } finally {
      await Promise.all([target.stop(), redirect.stop()]);
    }
  });

  it("refuses tokens that could smuggle a header", () => {
    expect(() => authorizationHeader("abc\r\nX-Evil: 1")).toThrow(AppError);
    expect(authorizationHeader("tok")).toBe(
      `Authorization: Basic ${Buffer.from("x-access-token:tok").toString("base64")}`,
    );
  });

  it("names a missing repository without git's text", async () => {
    setTestEnv({ REPOS_ALLOW_LOCAL_REMOTES: "1" });
    const missing = path.join(mkdtempSync(path.join(os.tmpdir(), "dm-missing-")), "nope.git");
    const remote = await vetRemoteUrl(missing, { field: "url" });
    await expect(lsRemote(remote, null, { field: "url" })).rejects.toMatchObject({
      fieldErrors: { url: ["No repository was found at that URL (or the token cannot see it)."] },
    });
  });
});

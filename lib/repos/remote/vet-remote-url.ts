import { lstat, realpath } from "node:fs/promises";
import { isIP } from "node:net";
import path from "node:path";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import {
  UNREACHABLE_MESSAGE,
  UnreachableUrlError,
  type UrlPolicy,
  urlShapeProblem,
  vetUrl,
} from "@/lib/net/vet-url";
import { reposDir, worktreesDir } from "../paths";

/**
 * A remote git may talk to: the URL handed to git (never with credentials in it), what is stored
 * and shown, and the per-command git settings that pin git to what was vetted.
 */
export type VettedRemote = {
  /** What git is given: an https/http URL, or an absolute path when local remotes are allowed. */
  url: string;
  local: boolean;
  /** Lower-cased host of an http(s) remote; null for a local one. */
  host: string | null;
  /** Per-command git config (travels in GIT_CONFIG_*, see lib/repos/git.ts). */
  config: Record<string, string>;
};

export const REMOTE_URL_MAX = 2000;

const fail = (field: string, message: string) =>
  new AppError("validation", "Some fields are invalid.", { fieldErrors: { [field]: [message] } });

const HTTPS_EXAMPLE = "https://github.com/owner/name.git";

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** A file:// URL or absolute path, when the operator allows local remotes (tests, single-user installs). */
/** The real path of `p`, resolving the symlinks of its nearest existing ancestor. */
async function realpathOfNearest(p: string): Promise<string> {
  const rest: string[] = [];
  for (let at = p; ; at = path.dirname(at)) {
    try {
      return path.join(await realpath(at), ...rest.reverse());
    } catch {
      if (path.dirname(at) === at) return p;
      rest.push(path.basename(at));
    }
  }
}

async function vetLocal(input: string, field: string): Promise<VettedRemote> {
  let dir: string;
  if (input.startsWith("file:")) {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw fail(field, "Enter a file:///absolute/path URL.");
    }
    if (url.host || url.search || url.hash)
      throw fail(field, "A file URL names a folder on this server: file:///path/to/repo.");
    dir = decodeURIComponent(url.pathname);
  } else {
    dir = input;
  }
  if (!path.isAbsolute(dir)) throw fail(field, "A local repository must be an absolute path.");
  dir = path.resolve(dir);
  // The app's own repositories belong to other projects (and other organizations), however the
  // path reaches them (symlinks resolved on both sides; a folder that does not exist is refused
  // by git later). A gitfile pointing elsewhere is refused for the same reason.
  const real = await realpathOfNearest(dir);
  const roots = await Promise.all([reposDir(), worktreesDir()].map((r) => realpath(r).catch(() => r)));
  const gitfile = await lstat(path.join(real, ".git")).catch(() => null);
  if (gitfile?.isFile() || gitfile?.isSymbolicLink()) {
    throw fail(field, "That folder's .git points somewhere else; give the repository itself.");
  }
  if (
    [dir, real].some(
      (d) =>
        roots.some((root) => isInside(d, root)) || isInside(d, reposDir()) || isInside(d, worktreesDir()),
    )
  ) {
    throw fail(field, "That folder holds this app's own repositories; import from a repository outside it.");
  }
  return { url: dir, local: true, host: null, config: {} };
}

/**
 * Checks a remote URL an admin typed before git is given it. Accepted: https:// (and http:// when
 * the operator allows private-network URLs), to a host the SSRF guard lets through; with
 * REPOS_ALLOW_LOCAL_REMOTES also file:// URLs and absolute paths. Refused: every other transport
 * (`ssh://`, `git://`, scp-style `host:path`, `ext::` and other `<transport>::` helpers that run
 * commands), relative paths, credentials in the URL, and anything git could read as an option.
 * Errors are 422s with a message on `field`.
 */
export async function vetRemoteUrl(
  input: string,
  opts: { field: string; lookup?: UrlPolicy["lookup"] },
): Promise<VettedRemote> {
  const { field } = opts;
  const e = env();
  const value = input.trim();
  if (!value) throw fail(field, `Enter the repository's URL, like ${HTTPS_EXAMPLE}.`);
  if (value.length > REMOTE_URL_MAX)
    throw fail(field, `The URL must be at most ${REMOTE_URL_MAX} characters.`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f\s]/.test(value))
    throw fail(field, "The URL must not contain spaces or control characters.");
  if (value.startsWith("-")) throw fail(field, "The URL must not start with a hyphen.");
  if (/^[a-z][a-z0-9+.-]*::/i.test(value)) {
    throw fail(field, "Git transport helpers (like ext::) are not allowed; use an https:// URL.");
  }
  const allowLocal = e.REPOS_ALLOW_LOCAL_REMOTES;
  const allowHttp = e.ALLOW_PRIVATE_NETWORK_URLS;
  const httpsOnly = allowHttp ? "Use an https:// or http:// URL." : "Use an https:// URL.";
  if (/^file:/i.test(value) || value.startsWith("/") || value.startsWith(".") || value.startsWith("~")) {
    if (allowLocal) return vetLocal(value, field);
    throw fail(field, `Local paths and file:// URLs are not allowed on this server. ${httpsOnly}`);
  }
  if (/^(ssh|git|git\+ssh|ssh\+git):/i.test(value)) {
    throw fail(field, `SSH and git:// remotes are not supported. ${httpsOnly}`);
  }
  if (!/^https?:\/\//i.test(value)) {
    // `user@host:path` and `host:path` are git's scp-like SSH syntax; a bare word is a local path.
    if (/^[^/]*:/.test(value)) throw fail(field, `SSH remotes (host:path) are not supported. ${httpsOnly}`);
    throw fail(field, `Enter a full URL like ${HTTPS_EXAMPLE}.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(field, `Enter a full URL like ${HTTPS_EXAMPLE}.`);
  }
  if (url.username || url.password) {
    throw fail(field, "Remove the user name or token from the URL and put the token in the token field.");
  }
  const problem = urlShapeProblem(url, allowHttp);
  if (problem) throw fail(field, problem);
  if (url.search || url.hash) throw fail(field, "The URL must not have a query (?…) or fragment (#…).");
  let addresses: { address: string; family: number }[];
  try {
    ({ addresses } = await vetUrl(url, { allowHttp, lookup: opts.lookup }));
  } catch (error) {
    if (!(error instanceof UnreachableUrlError)) throw error;
    console.warn(`[repos] refused remote ${url.origin}: ${error.reason}`);
    throw fail(field, UNREACHABLE_MESSAGE);
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const pinned = addresses.map((a) => (a.family === 6 ? `[${a.address}]` : a.address)).join(",");
  const config: Record<string, string> = {
    // Redirects could lead git (and the credentials header) anywhere: follow none.
    "http.followRedirects": "false",
    "protocol.file.allow": "never",
  };
  // git connects to the addresses the guard checked, not to a second lookup a rebinding DNS
  // server could answer differently (an IP literal needs no lookup).
  if (!isIP(host)) config["http.curloptResolve"] = `${host}:${port}:${pinned}`;
  if (url.protocol === "https:") config["protocol.http.allow"] = "never";
  return { url: url.toString(), local: false, host, config };
}

import { readdir, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { GitError, git, gitBare, redactGitText } from "../git";
import { TOKEN_PATTERN } from "../settings/schemas";
import type { VettedRemote } from "./vet-remote-url";

/**
 * git commands that talk to a project's remote. The token travels only as a per-command
 * `http.extraHeader` (in GIT_CONFIG_* environment variables, not argv, not the URL, not a file);
 * failures become a short reason for the user, with git's own text kept for the server log only
 * after redaction.
 */

export const LS_REMOTE_TIMEOUT_MS = 30_000;
export const FETCH_TIMEOUT_MS = 10 * 60_000;
export const PUSH_TIMEOUT_MS = 5 * 60_000;

/**
 * `Authorization: Basic base64(x-access-token:<token>)`: what GitHub documents for tokens over
 * https, and what GitLab, Gitea and Bitbucket accept with a token as the password.
 */
export function authorizationHeader(token: string): string {
  if (!TOKEN_PATTERN.test(token))
    throw new AppError("validation", "The token has characters a token cannot have.");
  return `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

/** The per-command git settings for one remote: the vetted pins, plus the token's header when given. */
export function remoteConfig(remote: VettedRemote, token?: string | null): Record<string, string> {
  const config = { ...remote.config };
  if (token && !remote.local) config["http.extraHeader"] = authorizationHeader(token);
  return config;
}

export class RemoteFailure extends AppError {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super("validation", message);
  }
}

/** What to tell the user about a failed git command against a remote (never git's raw text). */
export function describeRemoteFailure(error: unknown): string {
  const text = error instanceof GitError ? `${error.message}\n${error.stderr}` : String(error);
  if (/timed out/i.test(text)) return "The remote did not answer in time.";
  if (/redirect|returned error: 30\d/i.test(text))
    return "The remote answered with a redirect; enter the repository's final URL.";
  if (
    /authentication failed|could not read (username|password)|\b401\b|\b403\b|terminal prompts disabled/i.test(
      text,
    )
  ) {
    return "The remote refused the credentials: check the token and its access to this repository.";
  }
  if (
    /not found|does not appear to be a git repository|\b404\b|no such file|not a git repository/i.test(text)
  ) {
    return "No repository was found at that URL (or the token cannot see it).";
  }
  if (
    /could not resolve|failed to connect|connection refused|couldn't connect|network is unreachable|ssl|tls/i.test(
      text,
    )
  ) {
    return "The remote could not be reached.";
  }
  if (/stale info|rejected|non-fast-forward|fetch first/i.test(text)) {
    return "The remote's branch changed since it was last read; try again.";
  }
  return "git could not complete the operation with the remote.";
}

function remoteFailure(error: unknown, field?: string): AppError {
  const message = describeRemoteFailure(error);
  const detail = error instanceof Error ? redactGitText(error.message) : "unknown";
  console.warn(`[repos] remote command failed: ${detail}`);
  if (field)
    return new AppError("validation", "Some fields are invalid.", { fieldErrors: { [field]: [message] } });
  return new RemoteFailure(message, detail);
}

export type RemoteHeads = {
  /** The branch the remote's HEAD points at (or a likely default when it does not say). */
  defaultBranch: string | null;
  /** Branch name → commit id. */
  heads: Map<string, string>;
};

/** Parses `git ls-remote --symref <url> HEAD refs/heads/*`. */
export function parseLsRemote(stdout: string): RemoteHeads {
  const heads = new Map<string, string>();
  let head: string | null = null;
  for (const line of stdout.split("\n")) {
    const symref = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
    if (symref?.[1]) {
      head = symref[1];
      continue;
    }
    const ref = /^([0-9a-f]{40,64})\trefs\/heads\/(\S+)$/.exec(line);
    if (ref?.[1] && ref[2]) heads.set(ref[2], ref[1]);
  }
  let defaultBranch = head && heads.has(head) ? head : null;
  defaultBranch ??= ["main", "master"].find((b) => heads.has(b)) ?? heads.keys().next().value ?? head;
  return { defaultBranch, heads };
}

/** The remote's branches and default branch; a failure is a 422 with a reason on `field` when given. */
export async function lsRemote(
  remote: VettedRemote,
  token: string | null | undefined,
  opts: { field?: string; timeoutMs?: number } = {},
): Promise<RemoteHeads> {
  try {
    const { stdout } = await git(["ls-remote", "--symref", "--", remote.url, "HEAD", "refs/heads/*"], {
      cwd: os.tmpdir(),
      config: remoteConfig(remote, token),
      timeoutMs: opts.timeoutMs ?? LS_REMOTE_TIMEOUT_MS,
    });
    return parseLsRemote(stdout);
  } catch (error) {
    throw remoteFailure(error, opts.field);
  }
}

async function packFolderBytes(dir: string): Promise<number> {
  const pack = path.join(dir, "objects", "pack");
  const names = await readdir(pack).catch(() => [] as string[]);
  const sizes = await Promise.all(
    names.map((n) =>
      stat(path.join(pack, n)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

export class TooLargeError extends AppError {
  constructor(maxBytes: number) {
    super("validation", `The repository is larger than ${formatBytes(maxBytes)}; import a smaller one.`);
  }
}

function formatBytes(n: number): string {
  return n >= 1024 ** 3 ? `${n / 1024 ** 3} GB` : n >= 1024 ** 2 ? `${n / 1024 ** 2} MB` : `${n} bytes`;
}

/**
 * Fetches every branch and tag of the remote into the bare repository `dir` (refs as they are).
 * With `maxBytes`, the pack being received is watched and the fetch stopped once it grows past
 * the limit (git has no client-side cap of its own).
 */
export async function fetchAll(
  dir: string,
  remote: VettedRemote,
  token: string | null | undefined,
  opts: { field?: string; timeoutMs?: number; maxBytes?: number } = {},
): Promise<void> {
  const abort = new AbortController();
  let tooLarge = false;
  const watch =
    opts.maxBytes === undefined
      ? null
      : setInterval(() => {
          void packFolderBytes(dir).then((bytes) => {
            if (bytes > (opts.maxBytes ?? Number.POSITIVE_INFINITY) && !abort.signal.aborted) {
              tooLarge = true;
              abort.abort();
            }
          });
        }, 250);
  try {
    await gitBare(
      dir,
      [
        "fetch",
        "--quiet",
        "--no-write-fetch-head",
        "--",
        remote.url,
        "+refs/heads/*:refs/heads/*",
        "+refs/tags/*:refs/tags/*",
      ],
      {
        // Always keep the received pack (never explode it into loose objects), so its size is what is watched.
        // Objects are checked as they arrive (malformed trees, `.git` path tricks, bad modes).
        config: { ...remoteConfig(remote, token), "fetch.unpackLimit": "1", "fetch.fsckObjects": "true" },
        timeoutMs: opts.timeoutMs ?? FETCH_TIMEOUT_MS,
        signal: abort.signal,
      },
    );
  } catch (error) {
    if (tooLarge && opts.maxBytes !== undefined) throw new TooLargeError(opts.maxBytes);
    throw remoteFailure(error, opts.field);
  } finally {
    if (watch) clearInterval(watch);
  }
  if (opts.maxBytes !== undefined && (await packFolderBytes(dir)) > opts.maxBytes)
    throw new TooLargeError(opts.maxBytes);
}

/**
 * Pushes commit `sha` of the bare repository `dir` to `refs/heads/<branch>` on the remote. The
 * lease says what the remote's branch must be now (`expected`, or absent when null), so a branch
 * someone else moved is never overwritten blindly.
 */
export async function pushCommit(
  dir: string,
  remote: VettedRemote,
  token: string | null | undefined,
  args: { sha: string; branch: string; expected: string | null },
): Promise<void> {
  const ref = `refs/heads/${args.branch}`;
  try {
    await gitBare(
      dir,
      [
        "push",
        "--porcelain",
        `--force-with-lease=${ref}:${args.expected ?? ""}`,
        "--",
        remote.url,
        `${args.sha}:${ref}`,
      ],
      { config: remoteConfig(remote, token), timeoutMs: PUSH_TIMEOUT_MS },
    );
  } catch (error) {
    throw remoteFailure(error);
  }
}

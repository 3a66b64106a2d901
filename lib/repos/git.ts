import { execFile } from "node:child_process";
import { AppError } from "@/lib/errors";

/**
 * The one way the app runs git: `execFile` (never a shell), a fixed environment (no app secrets,
 * no user or system config, no prompts), a timeout and an output cap. Credentials travel as
 * per-command config in the environment (`GIT_CONFIG_*`), never in argv, URLs, files or logs.
 */
export type GitOptions = {
  /** Working directory: a working tree, or a bare repository (`--git-dir` is set from it when `bare`). */
  cwd: string;
  /** Bytes written to git's stdin. */
  input?: string | Buffer;
  /** Extra `-c key=value` settings passed through the environment (not visible in `ps`). */
  config?: Record<string, string>;
  /** Extra environment (GIT_AUTHOR_*, GIT_INDEX_FILE…); never the app's. */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Stops the command early (e.g. an import past its size limit). */
  signal?: AbortSignal;
  maxBuffer?: number;
  /** Return stdout as a Buffer (blobs, archives). */
  binary?: boolean;
  /** Exit codes that are answers, not failures (e.g. 1 for `git grep` with no match). */
  okCodes?: number[];
};

export type GitResult<T = string> = { stdout: T; stderr: string; code: number };

export class GitError extends Error {
  constructor(
    message: string,
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "GitError";
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

/** Committer of every commit the app makes; authors are the agents. */
export const APP_COMMITTER = { name: "DafnckMachine", email: "dafnckmachine@localhost" } as const;

/** Settings that hold for every command: no hooks, no pagers, no credential helpers, safe transports. */
const BASE_CONFIG: Record<string, string> = {
  "core.hooksPath": "/dev/null",
  "core.pager": "cat",
  "core.askPass": "",
  "credential.helper": "",
  "protocol.allow": "never",
  "protocol.https.allow": "always",
  "protocol.http.allow": "always",
  "protocol.file.allow": "user",
  "advice.detachedHead": "false",
  "init.defaultBranch": "main",
  "gc.auto": "0",
  "safe.directory": "*",
};

/** Hides anything that looks like a credential in text that may reach a log or a client. */
export function redactGitText(text: string): string {
  return text
    .replace(/(https?:\/\/)[^/@\s]+@/gi, "$1***@")
    .replace(/(authorization:\s*)(basic|bearer|token)\s+\S+/gi, "$1$2 ***")
    .replace(/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, "***");
}

function gitEnv(config: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const entries = Object.entries(config);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: "/nonexistent",
    LANG: "C",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "/bin/false",
    SSH_ASKPASS: "/bin/false",
    GIT_OPTIONAL_LOCKS: "0",
    GIT_COMMITTER_NAME: APP_COMMITTER.name,
    GIT_COMMITTER_EMAIL: APP_COMMITTER.email,
    GIT_AUTHOR_NAME: APP_COMMITTER.name,
    GIT_AUTHOR_EMAIL: APP_COMMITTER.email,
    GIT_CONFIG_COUNT: String(entries.length),
    ...extra,
  };
  entries.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  return env;
}

export function git(args: string[], opts: GitOptions & { binary: true }): Promise<GitResult<Buffer>>;
export function git(args: string[], opts: GitOptions): Promise<GitResult<string>>;
export function git(args: string[], opts: GitOptions): Promise<GitResult<string | Buffer>> {
  const config = { ...BASE_CONFIG, ...opts.config };
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      {
        cwd: opts.cwd,
        env: gitEnv(config, opts.env) as NodeJS.ProcessEnv,
        timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBuffer: opts.maxBuffer ?? DEFAULT_MAX_BUFFER,
        encoding: opts.binary ? "buffer" : "utf8",
        windowsHide: true,
        signal: opts.signal,
      },
      (error, stdout, stderr) => {
        const err = String(stderr ?? "");
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        if (error && !(code !== null && opts.okCodes?.includes(code))) {
          const why = error.killed ? "timed out" : `exited with ${code ?? error.code}`;
          const detail = redactGitText(err.trim()).slice(0, 2000);
          reject(
            new GitError(
              `git ${args[0]} ${why}${detail ? `: ${detail}` : ""}`,
              args,
              code,
              redactGitText(err),
            ),
          );
          return;
        }
        resolve({ stdout: stdout as string | Buffer, stderr: err, code: code ?? 0 });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** `git ... ` in a bare repository (the origin of a project). */
export const gitBare = (dir: string, args: string[], opts: Omit<GitOptions, "cwd"> = {}) =>
  git(["--git-dir", dir, ...args], { ...opts, cwd: dir });

/** The minimum git this app needs (`git worktree`, `merge-tree --write-tree` needs 2.38). */
export const MIN_GIT_VERSION = [2, 38] as const;

let checked: Promise<string> | null = null;

/** Checks once per process that git exists and is recent enough; the error says what is missing. */
export function assertGitAvailable(): Promise<string> {
  checked ??= git(["--version"], { cwd: "/", timeoutMs: 10_000 })
    .then(({ stdout }) => {
      const m = /git version (\d+)\.(\d+)/.exec(stdout);
      const [maj, min] = [Number(m?.[1] ?? 0), Number(m?.[2] ?? 0)];
      if (maj < MIN_GIT_VERSION[0] || (maj === MIN_GIT_VERSION[0] && min < MIN_GIT_VERSION[1])) {
        throw new AppError(
          "unavailable",
          `git ${MIN_GIT_VERSION.join(".")} or later is required for project repositories; found ${stdout.trim()}.`,
        );
      }
      return stdout.trim();
    })
    .catch((error: unknown) => {
      checked = null;
      if (error instanceof AppError) throw error;
      throw new AppError(
        "unavailable",
        "git is not installed on this server: project repositories need the git command-line client (2.38 or later) on the PATH.",
      );
    });
  return checked;
}

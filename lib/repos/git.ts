import { execFile, spawn } from "node:child_process";
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

/**
 * Runs git and hands its stdout over as a web stream (archives, raw blobs): nothing is buffered
 * whole. Same environment and config as `git()`. The stream errors when git exits non-zero or
 * times out, and cancelling it (a client that went away) kills git.
 */
/**
 * A git process with its stdin, stdout and stderr piped: the first 8 KB of stderr kept for
 * messages, killed at `timeoutMs`; `exited` resolves with its exit code (null when it could not
 * start). The one spawn of streaming git commands (gitStream, git http-backend).
 */
export function spawnGit(
  args: string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs: number },
) {
  const child = spawn("git", args, {
    cwd: opts.cwd,
    env: opts.env as NodeJS.ProcessEnv,
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true,
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
  const exited = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.on("error", () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  return { child, exited, stderr: () => stderr };
}

export function gitStream(
  args: string[],
  opts: Omit<GitOptions, "input" | "binary" | "maxBuffer" | "okCodes">,
) {
  const config = { ...BASE_CONFIG, ...opts.config };
  const { child, exited, stderr } = spawnGit(args, {
    cwd: opts.cwd,
    env: gitEnv(config, opts.env),
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  child.stdin.end();
  const source = child.stdout;
  // The subcommand, for messages (`--git-dir <dir>` comes first in a bare repository).
  const verb = args.find((a, i) => !a.startsWith("-") && args[i - 1] !== "--git-dir") ?? args[0];
  // Set once the consumer cancelled or the stream ended: later events from git are ignored.
  let finished = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      source.on("data", (chunk: Buffer) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) source.pause();
      });
      source.on("end", async () => {
        const code = await exited;
        if (finished) return;
        finished = true;
        if (code === 0) controller.close();
        else {
          const detail = redactGitText(stderr().trim()).slice(0, 2000);
          controller.error(
            new GitError(`git ${verb} exited with ${code}${detail ? `: ${detail}` : ""}`, args, code, detail),
          );
        }
      });
    },
    pull() {
      source.resume();
    },
    cancel() {
      finished = true;
      source.destroy();
      // The kill ends the process; its close clears the timeout.
      child.kill("SIGKILL");
    },
  });
  return { stream, exited };
}

/** `gitStream` in a bare repository. */
export const gitBareStream = (dir: string, args: string[], opts: Omit<GitOptions, "cwd" | "input"> = {}) =>
  gitStream(["--git-dir", dir, ...args], { ...opts, cwd: dir });

/** `git ... ` in a bare repository (the origin of a project). */
export const gitBare = (dir: string, args: string[], opts: Omit<GitOptions, "cwd"> = {}) =>
  git(["--git-dir", dir, ...args], { ...opts, cwd: dir });

/** `gitBare` with stdout as a Buffer (blob contents). */
export const gitBareBuffer = (dir: string, args: string[], opts: Omit<GitOptions, "cwd" | "binary"> = {}) =>
  git(["--git-dir", dir, ...args], { ...opts, cwd: dir, binary: true });

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

/**
 * The environment `git()` runs with (fixed, no app secrets, no user/system config), for callers
 * that must spawn git themselves (the `git http-backend` CGI of lib/git-http).
 */
export function gitProcessEnv(
  config: Record<string, string> = {},
  extra: Record<string, string> = {},
): Record<string, string> {
  return gitEnv({ ...BASE_CONFIG, ...config }, extra);
}

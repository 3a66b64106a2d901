import type { SandboxLimits, SandboxRequest } from "./types";

/**
 * The limits a sandboxed command runs under: defaults, merged with the request's overrides and
 * clamped, so a caller (or a model choosing a limit) cannot ask for an unbounded run.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: SandboxLimits = Object.freeze({
  wallMs: 60_000,
  cpuSeconds: 60,
  memoryBytes: 1 * GiB,
  processes: 256,
  outputBytes: 1 * MiB,
});

/** The range each limit is clamped to (inclusive). */
export const LIMIT_BOUNDS: Readonly<Record<keyof SandboxLimits, readonly [number, number]>> = Object.freeze({
  wallMs: [100, 30 * 60_000],
  cpuSeconds: [1, 30 * 60],
  memoryBytes: [32 * MiB, 16 * GiB],
  processes: [4, 4096],
  outputBytes: [1 * KiB, 16 * MiB],
});

/** Largest file a command may write (RLIMIT_FSIZE): a runaway write fills no disk. */
export const FILE_SIZE_LIMIT_BYTES = 4 * GiB;

export function resolveLimits(overrides?: Partial<SandboxLimits>): SandboxLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof SandboxLimits)[]) {
    const value = overrides?.[key];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    const [min, max] = LIMIT_BOUNDS[key];
    out[key] = Math.min(max, Math.max(min, Math.round(value)));
  }
  return out;
}

export class SandboxRequestError extends Error {
  override name = "SandboxRequestError";
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The environment every sandboxed command gets: a fixed base plus the request's variables, whose
 * names and values are checked (nothing of the app's environment is ever added).
 */
export function sandboxEnv(
  request: Pick<SandboxRequest, "env">,
  base: Record<string, string> = SANDBOX_BASE_ENV,
): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(request.env ?? {})) {
    if (!ENV_NAME.test(name)) throw new SandboxRequestError(`Invalid environment variable name: ${name}`);
    if (typeof value !== "string" || value.includes("\0")) {
      throw new SandboxRequestError(`Invalid value for environment variable ${name}`);
    }
    out[name] = value;
  }
  return out;
}

export const SANDBOX_BASE_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: "/usr/bin:/bin",
  HOME: "/tmp",
  LANG: "C.UTF-8",
});

/** prlimit(1) options for the per-process limits (the cgroup, where there is one, bounds the total). */
export function prlimitArgs(limits: SandboxLimits, nproc?: number): string[] {
  const args = [
    // Soft limit → SIGXCPU; the hard limit a second later → SIGKILL for a process that ignores it.
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--data=${limits.memoryBytes}`,
    `--fsize=${FILE_SIZE_LIMIT_BYTES}`,
    "--core=0",
  ];
  if (nproc !== undefined) args.push(`--nproc=${nproc}`);
  return args;
}

/** The request's read-only paths, checked: absolute, normalized, not the root, no NUL or comma. */
export function readOnlyPaths(request: Pick<SandboxRequest, "readOnlyPaths">): string[] {
  return (request.readOnlyPaths ?? []).map((p) => {
    if (
      typeof p !== "string" ||
      !p.startsWith("/") ||
      p === "/" ||
      /[\0,\n"]/.test(p) ||
      /(^|\/)\.\.?(\/|$)/.test(p)
    ) {
      throw new SandboxRequestError(`Invalid read-only path: ${String(p).slice(0, 200)}`);
    }
    return p.replace(/\/+$/, "");
  });
}

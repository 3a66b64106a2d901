import type { SandboxDriverName } from "@/lib/checks/kinds";

/**
 * The sandbox: run one command in a working tree with limits, and say how it ended. Drivers
 * (bubblewrap, docker, and the loudly named unsandboxed host mode) are chosen by configuration
 * (`resolveSandbox`); a host with none refuses to execute.
 */

export type SandboxLimits = {
  /** Wall time, killed at the limit (the whole process tree). */
  wallMs: number;
  /** CPU time of the command's processes. */
  cpuSeconds: number;
  /** Memory (data segment / cgroup memory) per sandbox. */
  memoryBytes: number;
  /** Processes and threads at once. */
  processes: number;
  /** Output kept: past it the head and the tail are kept, the middle dropped (not buffered). */
  outputBytes: number;
};

export type SandboxRequest = {
  /** Host path of the working tree; mounted writable at /work, the only writable place but /tmp. */
  dir: string;
  /** A shell command line, run by /bin/sh -c in /work. */
  command: string;
  /** Extra environment (names [A-Za-z_][A-Za-z0-9_]*); nothing of the app's environment is passed. */
  env?: Record<string, string>;
  /** Network access (the install step only, by org setting). Default: none. */
  network?: boolean;
  limits?: Partial<SandboxLimits>;
  signal?: AbortSignal;
  /** Output as it comes (stdout and stderr interleaved), for the live view; called with bounded chunks. */
  onOutput?: (chunk: string) => void;
  /** The docker driver's image (per project; default from env). */
  image?: string;
  /**
   * Host folders or files mounted read-only at the same path (absolute), e.g. the origin's objects
   * folder that a `git clone --shared` working tree's alternates point to. Nothing else of the
   * host is visible. (The host driver sees everything anyway.)
   */
  readOnlyPaths?: string[];
};

/** exited: the command ended by itself; otherwise the limit or signal that stopped it. */
export type SandboxOutcome =
  | "exited"
  | "wall_time"
  | "cpu_time"
  | "memory"
  | "processes"
  | "output"
  | "aborted";

export type SandboxResult = {
  driver: SandboxDriverName;
  /** The command's exit code; null when it was killed. */
  exitCode: number | null;
  outcome: SandboxOutcome;
  /** Output kept (head + marker + tail when truncated), UTF-8. */
  output: string;
  truncated: boolean;
  /** Bytes the command wrote in all. */
  outputBytes: number;
  durationMs: number;
  /** Resource use where the driver can measure it. */
  usage: { cpuMs: number | null; maxRssKb: number | null };
};

export interface SandboxDriver {
  readonly name: Exclude<SandboxDriverName, "none">;
  run(request: SandboxRequest): Promise<SandboxResult>;
}

/** What this host can do: a driver, or why it cannot execute (shown in the UI and the run's feed). */
export type SandboxAvailability =
  | { available: true; driver: SandboxDriver; unsafe: boolean }
  | { available: false; reason: string };

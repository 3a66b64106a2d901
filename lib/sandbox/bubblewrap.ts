import { execFile } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createRunCgroup } from "./cgroup";
import { prlimitArgs, readOnlyPaths, resolveLimits, SandboxRequestError, sandboxEnv } from "./limits";
import { supervise } from "./supervise";
import type { SandboxDriver, SandboxLimits, SandboxRequest, SandboxResult } from "./types";

/**
 * The bubblewrap driver: the command runs in new user, PID, IPC, UTS, network and mount
 * namespaces, as uid 65534, with /usr read-only, a private /tmp, the working tree writable at
 * /work and nothing else of the host's filesystem (a read-only root; of /etc only
 * /etc/alternatives and the loader cache, plus what DNS and TLS need when the network is on).
 * Limits: a cgroup (processes, memory, CPU) where the host allows one, prlimit inside for the
 * per-process CPU, data-segment and file-size limits, and RLIMIT_NPROC when there is no pids
 * cgroup — which binds only a non-root app: as root without a pids cgroup the driver refuses.
 */

const execFileAsync = promisify(execFile);

const BWRAP_CANDIDATES = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];
const PRLIMIT = "/usr/bin/prlimit";
/** bwrap itself is spawned with this environment only: its PID 1 inside keeps it (/proc/1/environ). */
const BWRAP_SPAWN_ENV = Object.freeze({ PATH: "/usr/bin:/bin" }) as unknown as NodeJS.ProcessEnv;
/** The sandbox's user (nobody): the working tree's owner maps to it. */
const SANDBOX_UID = 65534;

/** What DNS and TLS verification need (npm, pip) when the network is on; bound only if present. */
export const NETWORK_ETC_PATHS = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/ssl",
  "/etc/ca-certificates",
] as const;
/** Needed offline too: Debian's /usr/bin/awk, cc, java… are symlinks into /etc/alternatives. */
const OFFLINE_ETC_PATHS = ["/etc/alternatives", "/etc/ld.so.cache"] as const;

/** How the host's top-level /bin, /lib… look: merged-/usr symlinks, or real folders. */
export type RootEntry = { path: string; symlink: string } | { path: string; dir: true };

export const MERGED_USR_LAYOUT: RootEntry[] = [
  { path: "/bin", symlink: "usr/bin" },
  { path: "/sbin", symlink: "usr/sbin" },
  { path: "/lib", symlink: "usr/lib" },
  { path: "/lib64", symlink: "usr/lib64" },
];

export function hostRootLayout(): RootEntry[] {
  const out: RootEntry[] = [];
  for (const p of ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]) {
    try {
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.push({ path: p, symlink: readlinkSync(p) });
      else if (st.isDirectory()) out.push({ path: p, dir: true });
    } catch {
      // absent on this host
    }
  }
  return out;
}

export type BwrapFeatures = { disableUserns: boolean; tmpfsSize: boolean };

export type BubblewrapArgsInput = {
  dir: string;
  command: string;
  network?: boolean;
  /** The sandbox's whole environment (see sandboxEnv). */
  env: Record<string, string>;
  limits: SandboxLimits;
  /** Host paths mounted read-only at the same path (see SandboxRequest.readOnlyPaths; checked). */
  readOnlyPaths?: string[];
  /** RLIMIT_NPROC, only when no cgroup bounds the processes. */
  nproc?: number;
  layout?: RootEntry[];
  features?: BwrapFeatures;
  /**
   * The working tree is a git clone: its `.git` is bound read-only over itself, so a command can
   * read history (`git log`, `git diff`) but cannot plant hooks or config (core.fsmonitor,
   * filters) that the app's own git would run outside the sandbox when it snapshots the tree.
   */
  readOnlyGit?: boolean;
};

/** bwrap's arguments (after the program name) for one command. Pure. */
export function bubblewrapArgs(input: BubblewrapArgsInput): string[] {
  const features = input.features ?? { disableUserns: true, tmpfsSize: true };
  const args = ["--unshare-all", "--unshare-user"];
  if (input.network) args.push("--share-net");
  if (features.disableUserns) args.push("--disable-userns");
  args.push("--uid", String(SANDBOX_UID), "--gid", String(SANDBOX_UID));
  // Run as root, bwrap would keep every capability inside the sandbox's user namespace (enough to
  // remount the read-only /usr writable, or unmount the .git mask): none are kept.
  args.push("--cap-drop", "ALL");
  args.push("--hostname", "sandbox", "--die-with-parent", "--new-session");
  args.push("--ro-bind", "/usr", "/usr");
  for (const entry of input.layout ?? MERGED_USR_LAYOUT) {
    if ("symlink" in entry) args.push("--symlink", entry.symlink, entry.path);
    else args.push("--ro-bind", entry.path, entry.path);
  }
  for (const p of OFFLINE_ETC_PATHS) args.push("--ro-bind-try", p, p);
  if (input.network) for (const p of NETWORK_ETC_PATHS) args.push("--ro-bind-try", p, p);
  args.push("--proc", "/proc", "--dev", "/dev");
  if (features.tmpfsSize) args.push("--size", String(input.limits.memoryBytes));
  args.push("--tmpfs", "/tmp");
  args.push("--bind", input.dir, "/work");
  if (input.readOnlyGit) args.push("--ro-bind", path.join(input.dir, ".git"), "/work/.git");
  for (const p of input.readOnlyPaths ?? []) args.push("--ro-bind", p, p);
  // After every mount: the root (bwrap's own tmpfs) becomes read-only; /tmp and /work stay writable.
  args.push("--remount-ro", "/");
  args.push("--chdir", "/work", "--clearenv");
  for (const [name, value] of Object.entries(input.env)) args.push("--setenv", name, value);
  args.push("--", PRLIMIT, ...prlimitArgs(input.limits, input.nproc), "--", "/bin/sh", "-c", input.command);
  return args;
}

export function findBwrap(): string | null {
  return BWRAP_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

const featureCache = new Map<string, BwrapFeatures>();
async function bwrapFeatures(bwrap: string): Promise<BwrapFeatures> {
  const cached = featureCache.get(bwrap);
  if (cached) return cached;
  const { stdout } = await execFileAsync(bwrap, ["--help"], { env: BWRAP_SPAWN_ENV, timeout: 5000 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
  );
  const features = {
    disableUserns: stdout.includes("--disable-userns"),
    tmpfsSize: stdout.includes("--size"),
  };
  featureCache.set(bwrap, features);
  return features;
}

/** Tasks (threads count) of a uid on the host: RLIMIT_NPROC counts them all, not only ours. */
export function countTasksOfUid(uid: number): number {
  let count = 0;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, "utf8");
      const realUid = Number(status.match(/^Uid:\s+(\d+)/m)?.[1]);
      if (realUid === uid) count += Number(status.match(/^Threads:\s+(\d+)/m)?.[1] ?? 1);
    } catch {
      // exited meanwhile
    }
  }
  return count;
}

export async function assertWorkingTree(dir: string): Promise<string> {
  const resolved = path.resolve(dir);
  const st = await stat(resolved).catch(() => null);
  if (!st?.isDirectory()) throw new SandboxRequestError(`The working tree ${resolved} is not a folder`);
  return resolved;
}

/**
 * The message when no process limit can be enforced: RLIMIT_NPROC never binds processes of the
 * host's root user (the kernel exempts it), so a root-run app needs a pids cgroup.
 */
export const NO_PROCESS_LIMIT_MESSAGE =
  "no process limit: the app runs as root and cannot create a pids cgroup (RLIMIT_NPROC does not bind root)";

/** `cgroups: false` forces the prlimit-only fallback of hosts without a usable cgroup. */
export function bubblewrapDriver(options: { bwrapPath?: string; cgroups?: boolean } = {}): SandboxDriver {
  return {
    name: "bubblewrap",
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const bwrap = options.bwrapPath ?? findBwrap();
      if (!bwrap) throw new SandboxRequestError("bubblewrap (bwrap) is not installed");
      const limits = resolveLimits(request.limits);
      const env = sandboxEnv(request);
      const dir = await assertWorkingTree(request.dir);
      const features = await bwrapFeatures(bwrap);
      const cgroup = options.cgroups === false ? null : await createRunCgroup(limits);
      // A fork bomb without a pids cgroup, as root, exhausts the host's pids in seconds (seen).
      if (!cgroup?.controllers.pids && process.getuid?.() === 0) {
        await cgroup?.remove();
        throw new SandboxRequestError(NO_PROCESS_LIMIT_MESSAGE);
      }
      try {
        const nproc =
          cgroup?.controllers.pids || process.getuid === undefined
            ? undefined
            : countTasksOfUid(process.getuid()) + limits.processes;
        const args = bubblewrapArgs({
          dir,
          command: request.command,
          network: request.network,
          env,
          limits,
          readOnlyPaths: readOnlyPaths(request),
          nproc,
          layout: hostRootLayout(),
          features,
          readOnlyGit: existsSync(path.join(dir, ".git")),
        });
        return await supervise({
          driver: "bubblewrap",
          argv: [bwrap, ...args],
          env: { PATH: "/usr/bin:/bin" },
          limits,
          cgroup,
          signal: request.signal,
          onOutput: request.onOutput,
        });
      } finally {
        await cgroup?.remove();
      }
    },
  };
}

/** Whether bubblewrap runs here: a real `true` in a sandbox like the commands' (the probe). */
export async function probeBubblewrap(): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
  if (process.platform !== "linux") return { ok: false, reason: "bubblewrap needs Linux" };
  const bwrap = findBwrap();
  if (!bwrap) return { ok: false, reason: "bwrap not found" };
  if (!existsSync(PRLIMIT)) return { ok: false, reason: `${PRLIMIT} not found (util-linux)` };
  const dir = await mkdtemp(path.join(tmpdir(), "dm-sandbox-probe-"));
  try {
    const result = await bubblewrapDriver({ bwrapPath: bwrap }).run({
      dir,
      command: "true",
      limits: { wallMs: 10_000, outputBytes: 4096 },
    });
    if (result.exitCode === 0) return { ok: true, path: bwrap };
    const why = result.output.trim().split("\n")[0] || `${result.outcome}, exit ${result.exitCode}`;
    return { ok: false, reason: `bwrap failed: ${why.slice(0, 200)}` };
  } catch (error) {
    return { ok: false, reason: `bwrap failed: ${(error as Error).message.slice(0, 200)}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

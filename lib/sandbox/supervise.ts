import { spawn } from "node:child_process";
import { constants } from "node:os";
import { type CgroupUsage, JOIN_AND_EXEC, type RunCgroup } from "./cgroup";
import { OUTPUT_KILL_BYTES, OutputCollector } from "./output";
import type { SandboxLimits, SandboxOutcome, SandboxResult } from "./types";

/**
 * Runs one sandbox process (bwrap, the docker CLI, or the host's prlimit) and watches it: output
 * into the bounded collector, SIGKILL of the whole tree at the wall-time limit, on abort, at the
 * process limit (a refused fork in the cgroup) and past OUTPUT_KILL_BYTES; then says how it ended.
 */

export type SuperviseOptions = {
  driver: SandboxResult["driver"];
  /** The program and its arguments, exec'd after joining the cgroup. */
  argv: string[];
  /** The spawned process's whole environment (never the app's). */
  env: Record<string, string>;
  cwd?: string;
  limits: SandboxLimits;
  cgroup: RunCgroup | null;
  signal?: AbortSignal;
  onOutput?: (chunk: string) => void;
  /** Extra step when killing (the docker driver kills its container by name). */
  onKill?: () => unknown;
};

const POLL_MS = 50;
/** After the process exits, how long its output pipe may stay open (a leftover child holding it). */
const CLOSE_GRACE_MS = 1000;

const SIGNAL_EXIT = (name: NodeJS.Signals) => 128 + (constants.signals[name] ?? 0);

/** The outcomes we cause by killing the tree. */
type Killed = Exclude<SandboxOutcome, "exited" | "memory">;

const ALLOC_FAILURE =
  /out of memory|Cannot allocate memory|std::bad_alloc|MemoryError|ENOMEM|Allocation failed|heap limit|memory exhausted/i;
const FORK_FAILURE = /Cannot fork|fork: (retry|Resource temporarily unavailable)|spawn.*EAGAIN/i;

/**
 * How a run ended. Our own kills name their reason. Otherwise, for a non-zero exit:
 * - memory: the cgroup's OOM killer fired, or the exit is SIGABRT/SIGKILL/SIGTRAP or 1 and the
 *   output's end reports a failed allocation (RLIMIT_DATA makes malloc fail: node aborts with
 *   "Allocation failed - process out of memory", C++ throws std::bad_alloc, Python MemoryError);
 * - cpu_time: SIGXCPU (the per-process RLIMIT_CPU), or SIGKILL with the cgroup's CPU use at the limit;
 * - processes: the cgroup refused a fork, or (no cgroup) the shell reports it could not fork.
 */
export function classifyOutcome(input: {
  killedBy: Killed | null;
  exitCode: number | null;
  usage: Pick<CgroupUsage, "oomKills" | "pidsLimitHits"> & { cpuMs: number | null };
  limits: Pick<SandboxLimits, "cpuSeconds">;
  outputTail: string;
}): SandboxOutcome {
  const { killedBy, exitCode, usage, limits, outputTail } = input;
  if (killedBy) return killedBy;
  if (exitCode === 0 || exitCode === null) return "exited";
  if (usage.oomKills > 0) return "memory";
  if (exitCode === SIGNAL_EXIT("SIGXCPU")) return "cpu_time";
  const killed = exitCode === SIGNAL_EXIT("SIGKILL");
  if (killed && usage.cpuMs !== null && usage.cpuMs >= limits.cpuSeconds * 1000) return "cpu_time";
  const allocExit = [SIGNAL_EXIT("SIGABRT"), SIGNAL_EXIT("SIGTRAP"), SIGNAL_EXIT("SIGKILL"), 1].includes(
    exitCode,
  );
  if (allocExit && ALLOC_FAILURE.test(outputTail)) return "memory";
  if (usage.pidsLimitHits > 0 || FORK_FAILURE.test(outputTail)) return "processes";
  return "exited";
}

const NO_USAGE: CgroupUsage = { cpuMs: null, maxRssKb: null, pidsLimitHits: 0, oomKills: 0 };

export async function supervise(options: SuperviseOptions): Promise<SandboxResult> {
  const { limits, cgroup, signal } = options;
  const collector = new OutputCollector(limits.outputBytes, options.onOutput);
  const started = performance.now();
  const base = { driver: options.driver, usage: { cpuMs: null, maxRssKb: null } };
  if (signal?.aborted) {
    return {
      ...base,
      exitCode: null,
      outcome: "aborted",
      output: "",
      truncated: false,
      outputBytes: 0,
      durationMs: 0,
    };
  }

  const procs = cgroup?.procsFiles ?? [];
  const child = spawn(
    "/bin/sh",
    ["-c", JOIN_AND_EXEC, "sh", String(procs.length), ...procs, ...options.argv],
    {
      cwd: options.cwd ?? "/",
      env: options.env as unknown as NodeJS.ProcessEnv,
      detached: true, // its own process group, killed as one
      stdio: ["ignore", "pipe", "pipe"],
    },
  );

  let killedBy: Killed | null = null;
  const killTree = () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is gone
      }
    }
    void cgroup?.killAll();
  };
  const kill = (reason: Killed) => {
    if (killedBy) return;
    killedBy = reason;
    killTree();
    try {
      const extra = options.onKill?.();
      if (extra instanceof Promise) extra.catch(() => {});
    } catch {
      // best effort
    }
  };

  const onData = (chunk: Buffer) => {
    collector.push(chunk);
    if (collector.bytes > OUTPUT_KILL_BYTES) kill("output");
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);

  const wallTimer = setTimeout(() => kill("wall_time"), limits.wallMs);
  const onAbort = () => kill("aborted");
  signal?.addEventListener("abort", onAbort, { once: true });
  let polling = false;
  const poll = cgroup
    ? setInterval(async () => {
        if (polling || killedBy) return;
        polling = true;
        try {
          const u = await cgroup.usage();
          if (u.pidsLimitHits > 0) kill("processes");
          else if (u.cpuMs !== null && u.cpuMs > limits.cpuSeconds * 1000) kill("cpu_time");
        } catch {
          // a read failed (the run is ending); the next tick or the exit decides
        } finally {
          polling = false;
        }
      }, POLL_MS)
    : null;

  let exitCode: number | null = null;
  try {
    exitCode = await new Promise<number | null>((resolve, reject) => {
      let exited: number | null | undefined;
      child.once("error", reject);
      child.once("exit", (code, sig) => {
        exited = code ?? (sig ? SIGNAL_EXIT(sig) : null);
        // A leftover process holding the pipe must not hold the result.
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          resolve(exited ?? null);
        }, CLOSE_GRACE_MS).unref();
      });
      child.once("close", () => resolve(exited ?? null));
    });
  } finally {
    clearTimeout(wallTimer);
    if (poll) clearInterval(poll);
    signal?.removeEventListener("abort", onAbort);
  }
  const durationMs = Math.round(performance.now() - started);
  // What the command left behind goes too: its cgroup, and for the host driver (no PID namespace
  // to die with bwrap) its process group — kept alive, so not reusable, while a member remains.
  if (options.driver === "host") killTree();
  else await cgroup?.killAll();

  const usage = cgroup ? await cgroup.usage().catch(() => NO_USAGE) : NO_USAGE;
  const collected = collector.end();
  const outcome = classifyOutcome({
    killedBy,
    exitCode,
    usage,
    limits,
    outputTail: collected.output.slice(-4096),
  });
  return {
    ...base,
    exitCode: killedBy ? null : exitCode,
    outcome,
    ...collected,
    durationMs,
    usage: { cpuMs: usage.cpuMs, maxRssKb: usage.maxRssKb },
  };
}

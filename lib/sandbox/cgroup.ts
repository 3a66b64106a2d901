import { existsSync, readlinkSync } from "node:fs";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SandboxLimits } from "./types";

/**
 * A cgroup per sandboxed command, where the host lets us make one: processes (pids.max), memory
 * (no swap) for the whole tree, and the CPU time and peak memory it used. Created under this
 * process's own cgroup of each controller, so the command can never get more than the app has.
 * cgroup v1 (a hierarchy per controller) and v2 (unified) are detected at runtime; a controller
 * that cannot be used is left out, and with none the caller falls back to prlimit alone.
 */

const ROOT = "/sys/fs/cgroup";
const PREFIX = "dm-sandbox-";

export type CgroupUsage = {
  cpuMs: number | null;
  maxRssKb: number | null;
  /** Forks refused at the process limit. */
  pidsLimitHits: number;
  /** Processes the kernel's OOM killer killed at the memory limit. */
  oomKills: number;
};

export type RunCgroup = {
  version: 1 | 2;
  /** The cgroup.procs files a process writes its pid into to join (one per v1 hierarchy). */
  procsFiles: string[];
  controllers: { pids: boolean; memory: boolean; cpu: boolean };
  usage(): Promise<CgroupUsage>;
  /** SIGKILLs every process still in the cgroup. */
  killAll(): Promise<void>;
  /** Kills what is left and removes the cgroup (retries while it drains). */
  remove(): Promise<void>;
};

const readText = (file: string) =>
  readFile(file, "utf8").then(
    (s) => s.trim(),
    () => null,
  );
const readNumber = async (file: string) => {
  const text = await readText(file);
  const n = text === null ? Number.NaN : Number(text);
  return Number.isFinite(n) ? n : null;
};
/** A value from a "key value" file (pids.events, memory.events, cpu.stat, memory.oom_control). */
const readKey = async (file: string, key: string) => {
  const text = await readText(file);
  const line = text?.split("\n").find((l) => l.startsWith(`${key} `));
  const n = line ? Number(line.slice(key.length + 1)) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

/** This process's cgroup paths, by v1 controller name, and "" for the v2 one. */
async function ownCgroups(): Promise<Map<string, string>> {
  const text = (await readText("/proc/self/cgroup")) ?? "";
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = line.match(/^\d+:([^:]*):(.*)$/);
    const [, controllers = "", cgroupPath = "/"] = match ?? [];
    if (match) for (const c of controllers.split(",")) out.set(c, cgroupPath);
  }
  return out;
}

/** This PID namespace's id: a cgroup tree may be shared by processes of other namespaces. */
const pidNamespace = (() => {
  try {
    return readlinkSync("/proc/self/ns/pid").replace(/\D/g, "") || "0";
  } catch {
    return "0";
  }
})();

let counter = 0;
const runName = () =>
  `${PREFIX}${pidNamespace}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Removes cgroups left by a process of this PID namespace that died before cleaning up (once per base). */
const swept = new Set<string>();
async function sweepStale(base: string): Promise<void> {
  if (swept.has(base)) return;
  swept.add(base);
  const names = await readdir(base).catch(() => [] as string[]);
  for (const name of names) {
    const [ns, pidText] = name.slice(PREFIX.length).split("-");
    const pid = Number(pidText);
    if (!name.startsWith(PREFIX) || ns !== pidNamespace || !Number.isInteger(pid) || pid === process.pid)
      continue;
    if (existsSync(`/proc/${pid}`)) continue;
    await killIn(path.join(base, name));
    await rmdir(path.join(base, name)).catch(() => {});
  }
}

async function killIn(dir: string): Promise<number> {
  const text = await readText(path.join(dir, "cgroup.procs"));
  const pids = (text ?? "")
    .split("\n")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return pids.length;
}

async function tryMkdir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir);
    return true;
  } catch {
    return false;
  }
}

const tryWrite = (file: string, value: string) =>
  writeFile(file, value).then(
    () => true,
    () => false,
  );

async function removeDirs(dirs: string[]): Promise<void> {
  for (let attempt = 0; attempt < 50 && dirs.length > 0; attempt++) {
    for (const dir of [...dirs]) {
      await killIn(dir);
      try {
        await rmdir(dir);
        dirs.splice(dirs.indexOf(dir), 1);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") dirs.splice(dirs.indexOf(dir), 1);
      }
    }
    if (dirs.length > 0) await new Promise((r) => setTimeout(r, 20));
  }
}

async function createV1(own: Map<string, string>, limits: SandboxLimits): Promise<RunCgroup | null> {
  const name = runName();
  const made: Partial<Record<"pids" | "memory" | "cpuacct", string>> = {};
  for (const controller of ["pids", "memory", "cpuacct"] as const) {
    const base = path.join(ROOT, controller, own.get(controller) ?? "/");
    if (!existsSync(path.join(base, "cgroup.procs"))) continue;
    await sweepStale(base);
    const dir = path.join(base, name);
    if (await tryMkdir(dir)) made[controller] = dir;
  }
  const dirs = Object.values(made);
  if (dirs.length === 0) return null;

  let pids = false;
  let memory = false;
  if (made.pids) pids = await tryWrite(path.join(made.pids, "pids.max"), String(limits.processes));
  if (made.memory) {
    memory = await tryWrite(path.join(made.memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
    // No swap beyond the limit (the file exists only with swap accounting).
    const memsw = path.join(made.memory, "memory.memsw.limit_in_bytes");
    if (memory && existsSync(memsw)) await tryWrite(memsw, String(limits.memoryBytes));
  }
  const used = [made.cpuacct, pids ? made.pids : undefined, memory ? made.memory : undefined].filter(
    (d): d is string => d !== undefined,
  );
  // A hierarchy whose limit could not be set is dropped rather than joined.
  await removeDirs(dirs.filter((d) => !used.includes(d)));
  if (used.length === 0) return null;

  return {
    version: 1,
    procsFiles: used.map((d) => path.join(d, "cgroup.procs")),
    controllers: { pids, memory, cpu: made.cpuacct !== undefined },
    async usage() {
      const [cpuNs, maxBytes, pidsMax, oom] = await Promise.all([
        made.cpuacct ? readNumber(path.join(made.cpuacct, "cpuacct.usage")) : null,
        memory && made.memory ? readNumber(path.join(made.memory, "memory.max_usage_in_bytes")) : null,
        pids && made.pids ? readKey(path.join(made.pids, "pids.events"), "max") : null,
        memory && made.memory ? readKey(path.join(made.memory, "memory.oom_control"), "oom_kill") : null,
      ]);
      return {
        cpuMs: cpuNs === null ? null : Math.round(cpuNs / 1e6),
        maxRssKb: maxBytes === null ? null : Math.round(maxBytes / 1024),
        pidsLimitHits: pidsMax ?? 0,
        oomKills: oom ?? 0,
      };
    },
    async killAll() {
      for (const d of used) await killIn(d);
    },
    remove: () => removeDirs([...used]),
  };
}

async function createV2(own: Map<string, string>, limits: SandboxLimits): Promise<RunCgroup | null> {
  const base = path.join(ROOT, own.get("") ?? "/");
  const enabled = ((await readText(path.join(base, "cgroup.subtree_control"))) ?? "").split(/\s+/);
  if (!enabled.includes("pids") && !enabled.includes("memory")) return null;
  await sweepStale(base);
  const dir = path.join(base, runName());
  if (!(await tryMkdir(dir))) return null;
  const pids =
    enabled.includes("pids") && (await tryWrite(path.join(dir, "pids.max"), String(limits.processes)));
  const memory =
    enabled.includes("memory") && (await tryWrite(path.join(dir, "memory.max"), String(limits.memoryBytes)));
  if (memory) await tryWrite(path.join(dir, "memory.swap.max"), "0");
  if (!pids && !memory) {
    await removeDirs([dir]);
    return null;
  }
  return {
    version: 2,
    procsFiles: [path.join(dir, "cgroup.procs")],
    controllers: { pids, memory, cpu: true },
    async usage() {
      const [cpuUs, peak, pidsMax, oom] = await Promise.all([
        readKey(path.join(dir, "cpu.stat"), "usage_usec"),
        memory ? readNumber(path.join(dir, "memory.peak")) : null,
        pids ? readKey(path.join(dir, "pids.events"), "max") : null,
        memory ? readKey(path.join(dir, "memory.events"), "oom_kill") : null,
      ]);
      return {
        cpuMs: cpuUs === null ? null : Math.round(cpuUs / 1000),
        maxRssKb: peak === null ? null : Math.round(peak / 1024),
        pidsLimitHits: pidsMax ?? 0,
        oomKills: oom ?? 0,
      };
    },
    async killAll() {
      // cgroup.kill (Linux 5.14+) kills the whole subtree atomically; the pid loop is the fallback.
      if (!(await tryWrite(path.join(dir, "cgroup.kill"), "1"))) await killIn(dir);
    },
    remove: () => removeDirs([dir]),
  };
}

/** A fresh cgroup with the limits written, or null when this host gives us none. */
export async function createRunCgroup(limits: SandboxLimits): Promise<RunCgroup | null> {
  if (process.platform !== "linux") return null;
  try {
    const own = await ownCgroups();
    // Unified hierarchy: /sys/fs/cgroup itself is the v2 mount.
    if (existsSync(path.join(ROOT, "cgroup.controllers"))) return await createV2(own, limits);
    return await createV1(own, limits);
  } catch {
    return null;
  }
}

/**
 * The shell prelude that puts a process into the cgroup before it execs the command, so no child
 * can start outside it: `sh -c JOIN_AND_EXEC sh <n> <procs files…> <argv…>`. stderr is merged
 * into stdout, so the output keeps its order.
 */
export const JOIN_AND_EXEC =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@" 2>&1';

import { existsSync, mkdirSync, readFileSync, readlinkSync, rmdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createRunCgroup } from "./cgroup";
import { resolveLimits } from "./limits";

// Real cgroups where this host lets us make them (root with cgroup v1 here; CI the same).
const ownPids = readFileSync("/proc/self/cgroup", "utf8").match(/^\d+:pids:(.*)$/m)?.[1];
const pidsBase = ownPids === undefined ? null : path.join("/sys/fs/cgroup/pids", ownPids);
const canCreate = (() => {
  if (!pidsBase || !existsSync(path.join(pidsBase, "cgroup.procs"))) return false;
  try {
    const probe = path.join(pidsBase, `dm-cgroup-test-${process.pid}`);
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!canCreate)("createRunCgroup (cgroup v1 pids)", () => {
  it("writes the limits, sweeps cgroups of dead processes, and removes itself", async () => {
    const base = pidsBase as string;
    // A cgroup left by a process that no longer exists.
    let deadPid = 4_000_000;
    while (existsSync(`/proc/${deadPid}`)) deadPid++;
    const ns = readlinkSync("/proc/self/ns/pid").replace(/\D/g, "");
    const stale = path.join(base, `dm-sandbox-${ns}-${deadPid}-x-0`);
    mkdirSync(stale);
    // One of another PID namespace is not ours to judge (its pid means nothing here).
    const foreign = path.join(base, `dm-sandbox-1-${deadPid}-x-0`);
    mkdirSync(foreign);

    const cgroup = await createRunCgroup(resolveLimits({ processes: 77, memoryBytes: 300 * 1024 * 1024 }));
    expect(cgroup).not.toBeNull();
    expect(existsSync(stale)).toBe(false);
    const foreignKept = existsSync(foreign);
    rmdirSync(foreign);
    expect(foreignKept).toBe(true);
    expect(cgroup?.controllers.pids).toBe(true);
    const pidsDir = path.dirname(cgroup?.procsFiles.find((f) => f.startsWith(base)) ?? "");
    expect(readFileSync(path.join(pidsDir, "pids.max"), "utf8").trim()).toBe("77");
    const memoryDir = cgroup?.procsFiles.map(path.dirname).find((d) => d.includes("/memory/"));
    if (memoryDir) {
      expect(readFileSync(path.join(memoryDir, "memory.limit_in_bytes"), "utf8").trim()).toBe(
        String(300 * 1024 * 1024),
      );
    }
    expect(await cgroup?.usage()).toMatchObject({ pidsLimitHits: 0, oomKills: 0 });
    await cgroup?.remove();
    for (const file of cgroup?.procsFiles ?? []) expect(existsSync(path.dirname(file))).toBe(false);
  });
});

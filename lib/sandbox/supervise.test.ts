import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, resolveLimits } from "./limits";
import { classifyOutcome, supervise } from "./supervise";

const noUsage = { cpuMs: null, oomKills: 0, pidsLimitHits: 0 };
const classify = (over: Partial<Parameters<typeof classifyOutcome>[0]>) =>
  classifyOutcome({
    killedBy: null,
    exitCode: 1,
    usage: noUsage,
    limits: { cpuSeconds: 10 },
    outputTail: "",
    ...over,
  });

describe("classifyOutcome", () => {
  it("names our own kills, and a command that ended by itself exited", () => {
    expect(classify({ killedBy: "wall_time", exitCode: null })).toBe("wall_time");
    expect(classify({ killedBy: "processes", exitCode: null })).toBe("processes");
    expect(classify({ exitCode: 0, usage: { ...noUsage, oomKills: 1 } })).toBe("exited");
    expect(classify({ exitCode: 1 })).toBe("exited");
  });

  it("recognises the memory limit: an OOM kill, or a failed allocation at the end of the output", () => {
    expect(classify({ exitCode: 137, usage: { ...noUsage, oomKills: 1 } })).toBe("memory");
    expect(
      classify({ exitCode: 134, outputTail: "FATAL ERROR: Allocation failed - process out of memory" }),
    ).toBe("memory");
    expect(
      classify({
        exitCode: 134,
        outputTail: "terminate called after throwing an instance of 'std::bad_alloc'",
      }),
    ).toBe("memory");
    expect(classify({ exitCode: 1, outputTail: "MemoryError" })).toBe("memory");
    // A failing test that merely mentions memory, exiting 2, is a failure, not the limit.
    expect(classify({ exitCode: 2, outputTail: "expected out of memory error" })).toBe("exited");
  });

  it("recognises the CPU limit: SIGXCPU, or SIGKILL with the cgroup's CPU use at the limit", () => {
    expect(classify({ exitCode: 152 })).toBe("cpu_time");
    expect(classify({ exitCode: 137, usage: { ...noUsage, cpuMs: 10_000 } })).toBe("cpu_time");
    expect(classify({ exitCode: 137, usage: { ...noUsage, cpuMs: 200 } })).toBe("exited");
  });

  it("recognises the process limit: a refused fork in the cgroup, or the shell's report", () => {
    expect(classify({ exitCode: 2, usage: { ...noUsage, pidsLimitHits: 3 } })).toBe("processes");
    expect(classify({ exitCode: 2, outputTail: "sh: 1: Cannot fork" })).toBe("processes");
  });
});

const run = (command: string, over: Partial<Parameters<typeof supervise>[0]> = {}) =>
  supervise({
    driver: "host",
    argv: ["/bin/sh", "-c", command],
    env: { PATH: "/usr/bin:/bin" },
    limits: resolveLimits({ wallMs: 5_000 }),
    cgroup: null,
    ...over,
  });

/** Running (a killed process may stay a zombie until its new parent reaps it). */
const running = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
};

describe("supervise", () => {
  it("returns the exit code and stdout and stderr interleaved in order", async () => {
    const r = await run("echo one; echo two >&2; echo three; exit 3");
    expect(r).toMatchObject({
      exitCode: 3,
      outcome: "exited",
      output: "one\ntwo\nthree\n",
      truncated: false,
    });
    expect(r.outputBytes).toBe(14);
    expect(r.usage).toEqual({ cpuMs: null, maxRssKb: null });
  });

  it("kills the whole process group at the wall-time limit", async () => {
    const r = await run("sleep 30 & echo $!; sleep 30", { limits: { ...DEFAULT_LIMITS, wallMs: 300 } });
    expect(r.outcome).toBe("wall_time");
    expect(r.exitCode).toBeNull();
    expect(r.durationMs).toBeGreaterThanOrEqual(290);
    expect(r.durationMs).toBeLessThan(3_000);
    const background = Number(r.output.trim());
    expect(background).toBeGreaterThan(0);
    for (let i = 0; i < 20 && running(background); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running(background)).toBe(false);
  });

  it("stops on abort, and does not start when already aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await run("sleep 30", { signal: controller.signal });
    expect(r).toMatchObject({ outcome: "aborted", exitCode: null });
    expect(r.durationMs).toBeLessThan(3_000);
    const before = await run("echo ran", { signal: AbortSignal.abort() });
    expect(before).toMatchObject({ outcome: "aborted", output: "", durationMs: 0 });
  });

  it("streams output to onOutput as it comes", async () => {
    const chunks: string[] = [];
    const r = await run("echo first; sleep 0.3; echo second", { onOutput: (c) => chunks.push(c) });
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.join("")).toBe(r.output);
  });
});

import { describe, expect, it } from "vitest";
import {
  DEFAULT_LIMITS,
  FILE_SIZE_LIMIT_BYTES,
  LIMIT_BOUNDS,
  prlimitArgs,
  readOnlyPaths,
  resolveLimits,
  SANDBOX_BASE_ENV,
  SandboxRequestError,
  sandboxEnv,
} from "./limits";

describe("resolveLimits", () => {
  it("defaults to 60 s wall and CPU, 1 GiB, 256 processes, 1 MiB of output", () => {
    expect(resolveLimits()).toEqual({
      wallMs: 60_000,
      cpuSeconds: 60,
      memoryBytes: 1024 ** 3,
      processes: 256,
      outputBytes: 1024 ** 2,
    });
    expect(resolveLimits({})).toEqual(DEFAULT_LIMITS);
  });

  it("takes overrides, rounds them, and clamps them to the bounds", () => {
    expect(resolveLimits({ wallMs: 2_000.4, processes: 32 })).toEqual({
      ...DEFAULT_LIMITS,
      wallMs: 2_000,
      processes: 32,
    });
    const huge = resolveLimits({
      wallMs: 1e12,
      cpuSeconds: 1e9,
      memoryBytes: 1e15,
      processes: 1e6,
      outputBytes: 1e12,
    });
    expect(huge).toEqual({
      wallMs: LIMIT_BOUNDS.wallMs[1],
      cpuSeconds: LIMIT_BOUNDS.cpuSeconds[1],
      memoryBytes: LIMIT_BOUNDS.memoryBytes[1],
      processes: LIMIT_BOUNDS.processes[1],
      outputBytes: LIMIT_BOUNDS.outputBytes[1],
    });
    const tiny = resolveLimits({ wallMs: -5, cpuSeconds: 0, memoryBytes: 1, processes: 0, outputBytes: 0 });
    expect(tiny.wallMs).toBe(LIMIT_BOUNDS.wallMs[0]);
    expect(tiny.processes).toBe(LIMIT_BOUNDS.processes[0]);
    expect(tiny.outputBytes).toBe(LIMIT_BOUNDS.outputBytes[0]);
  });

  it("ignores values that are not finite numbers", () => {
    const bad = {
      wallMs: Number.NaN,
      cpuSeconds: Number.POSITIVE_INFINITY,
      processes: "9" as unknown as number,
    };
    expect(resolveLimits(bad)).toEqual(DEFAULT_LIMITS);
  });
});

describe("sandboxEnv", () => {
  it("is the fixed base plus the request's variables", () => {
    expect(sandboxEnv({})).toEqual({ PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8" });
    expect(sandboxEnv({ env: { CI: "1", npm_config_cache: "/tmp/npm" } })).toEqual({
      ...SANDBOX_BASE_ENV,
      CI: "1",
      npm_config_cache: "/tmp/npm",
    });
  });

  it("refuses bad names and values", () => {
    for (const name of ["1A", "A-B", "A B", "", "A=B", "É"]) {
      expect(() => sandboxEnv({ env: { [name]: "x" } })).toThrow(SandboxRequestError);
    }
    expect(() => sandboxEnv({ env: { A: "x\0y" } })).toThrow(/Invalid value/);
  });
});

describe("prlimitArgs", () => {
  it("sets CPU (soft, then SIGKILL a second later), data, file size and no core dumps", () => {
    const limits = { ...DEFAULT_LIMITS, cpuSeconds: 5, memoryBytes: 1000 };
    expect(prlimitArgs(limits)).toEqual([
      "--cpu=5:6",
      "--data=1000",
      `--fsize=${FILE_SIZE_LIMIT_BYTES}`,
      "--core=0",
    ]);
    expect(prlimitArgs(limits, 300)).toContain("--nproc=300");
  });
});

describe("readOnlyPaths", () => {
  it("keeps absolute, normalized paths and refuses the rest", () => {
    expect(readOnlyPaths({})).toEqual([]);
    expect(readOnlyPaths({ readOnlyPaths: ["/srv/repos/o/p.git/objects/"] })).toEqual([
      "/srv/repos/o/p.git/objects",
    ]);
    for (const bad of ["relative/path", "/", "/a/../etc", "/a/./b", "/a,b", "/a\0b", ""]) {
      expect(() => readOnlyPaths({ readOnlyPaths: [bad] })).toThrow(SandboxRequestError);
    }
  });
});

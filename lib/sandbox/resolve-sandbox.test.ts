import { afterEach, describe, expect, it } from "vitest";
import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import { setTestEnv } from "@/tests/support/env";
import { DEFAULT_DOCKER_IMAGE } from "./docker";
import {
  type ProbeResult,
  resolveSandbox,
  runInSandbox,
  SandboxUnavailableError,
  sandboxConfig,
} from "./resolve-sandbox";

const ok: ProbeResult = { ok: true };
const no = (reason: string): ProbeResult => ({ ok: false, reason });
const probes = (bubblewrap: ProbeResult, docker: ProbeResult) => {
  const calls: string[] = [];
  return {
    calls,
    probes: {
      bubblewrap: async () => {
        calls.push("bubblewrap");
        return bubblewrap;
      },
      docker: async () => {
        calls.push("docker");
        return docker;
      },
    },
  };
};
const VARS = ["SANDBOX_DRIVER", "SANDBOX_DOCKER_IMAGE", "DANGEROUSLY_RUN_AGENT_CODE_ON_HOST"] as const;
const configure = (vars: Partial<Record<(typeof VARS)[number], string>>) =>
  setTestEnv(Object.fromEntries(VARS.map((k) => [k, vars[k]])));

afterEach(() => configure({}));

describe("sandboxConfig", () => {
  it("reads the configured driver, image and the dangerous flag without probing", () => {
    configure({});
    expect(sandboxConfig()).toEqual({ driver: "auto", unsafe: false, dockerImage: DEFAULT_DOCKER_IMAGE });
    configure({ SANDBOX_DRIVER: "docker", SANDBOX_DOCKER_IMAGE: "acme/ci:2" });
    expect(sandboxConfig()).toEqual({ driver: "docker", unsafe: false, dockerImage: "acme/ci:2" });
    configure({ DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: "1" });
    expect(sandboxConfig().unsafe).toBe(true);
    // An explicitly named driver wins over the flag.
    configure({ SANDBOX_DRIVER: "bubblewrap", DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: "1" });
    expect(sandboxConfig().unsafe).toBe(false);
  });

  it("refuses an unknown driver name", () => {
    configure({ SANDBOX_DRIVER: "chroot" });
    expect(() => sandboxConfig()).toThrow(/SANDBOX_DRIVER must be/);
  });
});

describe("resolveSandbox", () => {
  it("auto: bubblewrap first, then docker, else refused saying what was found", async () => {
    configure({});
    let p = probes(ok, ok);
    let r = await resolveSandbox({ probes: p.probes });
    expect(r).toMatchObject({ available: true, unsafe: false, driver: { name: "bubblewrap" } });
    expect(p.calls).toEqual(["bubblewrap"]);

    p = probes(no("bwrap not found"), ok);
    r = await resolveSandbox({ probes: p.probes });
    expect(r).toMatchObject({ available: true, driver: { name: "docker" } });

    p = probes(no("bwrap not found"), no("docker info failed: Cannot connect to the Docker daemon"));
    r = await resolveSandbox({ probes: p.probes });
    expect(r).toEqual({
      available: false,
      reason: `${NO_SANDBOX_MESSAGE} (bubblewrap: bwrap not found; docker: docker info failed: Cannot connect to the Docker daemon)`,
    });
  });

  it("a named driver is used or refused, never replaced", async () => {
    configure({ SANDBOX_DRIVER: "docker" });
    const p = probes(ok, no("docker not found"));
    const r = await resolveSandbox({ probes: p.probes });
    expect(r).toEqual({
      available: false,
      reason: `${NO_SANDBOX_MESSAGE} (SANDBOX_DRIVER=docker: docker not found)`,
    });
    expect(p.calls).toEqual(["docker"]);
    configure({ SANDBOX_DRIVER: "bubblewrap" });
    expect(await resolveSandbox({ probes: probes(ok, ok).probes })).toMatchObject({
      driver: { name: "bubblewrap" },
    });
  });

  it("none never executes, even with the dangerous flag", async () => {
    configure({ SANDBOX_DRIVER: "none", DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: "1" });
    const p = probes(ok, ok);
    expect(await resolveSandbox({ probes: p.probes })).toEqual({
      available: false,
      reason: `${NO_SANDBOX_MESSAGE} (SANDBOX_DRIVER=none)`,
    });
    expect(p.calls).toEqual([]);
  });

  it("the host driver only with DANGEROUSLY_RUN_AGENT_CODE_ON_HOST, marked unsafe", async () => {
    configure({ DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: "1" });
    const r = await resolveSandbox({ probes: probes(ok, ok).probes });
    expect(r).toMatchObject({ available: true, unsafe: true, driver: { name: "host" } });
    configure({ DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: "0" });
    const off = await resolveSandbox({ probes: probes(no("x"), no("y")).probes });
    expect(off.available).toBe(false);
  });

  it("runInSandbox throws SandboxUnavailableError with the reason when nothing can run", async () => {
    configure({ SANDBOX_DRIVER: "none" });
    const error = await runInSandbox({ dir: "/tmp", command: "true" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxUnavailableError);
    expect((error as Error).message).toBe(`${NO_SANDBOX_MESSAGE} (SANDBOX_DRIVER=none)`);
  });
});

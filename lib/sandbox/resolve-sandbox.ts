import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import { sandboxSettings } from "@/lib/env";
import { bubblewrapDriver, probeBubblewrap } from "./bubblewrap";
import { defaultDockerImage, dockerDriver, probeDocker } from "./docker";
import { hostDriver } from "./host";
import type { SandboxAvailability, SandboxRequest, SandboxResult } from "./types";

/**
 * Which sandbox this host runs commands in, from SANDBOX_DRIVER (auto | bubblewrap | docker |
 * none) and DANGEROUSLY_RUN_AGENT_CODE_ON_HOST:
 * - none: never execute.
 * - bubblewrap / docker: that driver if its probe passes, else refused (no silent fallback).
 * - auto (default): the unsandboxed host driver when the dangerous flag is set; else bubblewrap
 *   when a probe sandbox runs `true`; else docker when `docker info` answers; else refused.
 * Probe results are cached per process (resetSandboxProbes forgets them).
 */

export type SandboxConfig = {
  driver: "auto" | "bubblewrap" | "docker" | "none";
  /** Agents' code runs unsandboxed on this machine (shown on every run page while on). */
  unsafe: boolean;
  dockerImage: string;
};

/** The configuration as set, without probing (cheap; for the UI). */
export function sandboxConfig(): SandboxConfig {
  const settings = sandboxSettings();
  return {
    driver: settings.driver,
    unsafe: settings.driver === "auto" && settings.runOnHost,
    dockerImage: defaultDockerImage(),
  };
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };
export type SandboxProbes = { bubblewrap: () => Promise<ProbeResult>; docker: () => Promise<ProbeResult> };

const cache = globalThis as unknown as {
  __dmSandboxProbes?: Partial<Record<keyof SandboxProbes, Promise<ProbeResult>>>;
};

const cached = (name: keyof SandboxProbes, probe: () => Promise<ProbeResult>): Promise<ProbeResult> => {
  cache.__dmSandboxProbes ??= {};
  cache.__dmSandboxProbes[name] ??= probe().catch((error: Error) => ({
    ok: false as const,
    reason: error.message,
  }));
  return cache.__dmSandboxProbes[name];
};

const defaultProbes: SandboxProbes = {
  bubblewrap: () => cached("bubblewrap", probeBubblewrap),
  docker: () => cached("docker", probeDocker),
};

export function resetSandboxProbes(): void {
  cache.__dmSandboxProbes = undefined;
}

const refused = (found: string): SandboxAvailability => ({
  available: false,
  reason: `${NO_SANDBOX_MESSAGE} (${found})`,
});

export async function resolveSandbox(options: { probes?: SandboxProbes } = {}): Promise<SandboxAvailability> {
  const probes = options.probes ?? defaultProbes;
  const config = sandboxConfig();
  if (config.driver === "none") return refused("SANDBOX_DRIVER=none");
  if (config.unsafe) return { available: true, driver: hostDriver(), unsafe: true };

  const bubblewrap = async () => {
    const probe = await probes.bubblewrap();
    return probe.ok ? bubblewrapDriver() : probe.reason;
  };
  const docker = async () => {
    const probe = await probes.docker();
    return probe.ok ? dockerDriver({ image: config.dockerImage }) : probe.reason;
  };
  const found: string[] = [];
  for (const [name, attempt] of [
    ["bubblewrap", bubblewrap],
    ["docker", docker],
  ] as const) {
    if (config.driver !== "auto" && config.driver !== name) continue;
    const driver = await attempt();
    if (typeof driver !== "string") return { available: true, driver, unsafe: false };
    found.push(`${config.driver === "auto" ? name : `SANDBOX_DRIVER=${name}`}: ${driver}`);
  }
  return refused(found.join("; "));
}

export class SandboxUnavailableError extends Error {
  override name = "SandboxUnavailableError";
}

/** Resolves the sandbox and runs the request in it; throws SandboxUnavailableError (message = reason). */
export async function runInSandbox(request: SandboxRequest): Promise<SandboxResult> {
  const availability = await resolveSandbox();
  if (!availability.available) throw new SandboxUnavailableError(availability.reason);
  return availability.driver.run(request);
}

import "server-only";
import { env } from "@/lib/env";
import { sandboxConfig } from "./resolve-sandbox";

/**
 * How this server is configured to execute agents' code, from lib/env alone (no probing of the
 * host: lib/sandbox/resolve-sandbox.ts finds out whether the driver can actually run).
 * `host` — DANGEROUSLY_RUN_AGENT_CODE_ON_HOST is set with SANDBOX_DRIVER auto: commands run
 * directly on this server, with no sandbox (`unsafe`), exactly as resolveSandbox decides. A driver
 * named explicitly keeps its sandbox whatever the flag says.
 */
export type SandboxMode = {
  driver: "bubblewrap" | "docker" | "host" | "auto" | "none";
  unsafe: boolean;
};

export function sandboxMode(): SandboxMode {
  const config = sandboxConfig();
  return config.unsafe ? { driver: "host", unsafe: true } : { driver: config.driver, unsafe: false };
}

/** The docker driver's default image when a project names none. */
export function defaultSandboxImage(): string | null {
  return env().SANDBOX_DOCKER_IMAGE ?? null;
}

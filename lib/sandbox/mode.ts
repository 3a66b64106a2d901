import "server-only";
import { env } from "@/lib/env";

/**
 * How this server is configured to execute agents' code, from lib/env alone (no probing of the
 * host: lib/sandbox/resolve-sandbox.ts finds out whether the driver can actually run).
 * `host` — DANGEROUSLY_RUN_AGENT_CODE_ON_HOST is set: commands run directly on this server, with
 * no sandbox (`unsafe`). The loudly named flag wins over SANDBOX_DRIVER, so `unsafe` is exactly
 * "the flag is set" and the warning on run pages can never be missing while it is.
 */
export type SandboxMode = {
  driver: "bubblewrap" | "docker" | "host" | "auto" | "none";
  unsafe: boolean;
};

export function sandboxMode(): SandboxMode {
  const e = env();
  if (e.DANGEROUSLY_RUN_AGENT_CODE_ON_HOST) return { driver: "host", unsafe: true };
  return { driver: e.SANDBOX_DRIVER, unsafe: false };
}

/** The docker driver's default image when a project names none. */
export function defaultSandboxImage(): string | null {
  return env().SANDBOX_DOCKER_IMAGE ?? null;
}

/**
 * The words of the checks domain, pure (shared by the schema, the run function, the tools and
 * the pages). A check is one of the project's commands run in the sandbox on a commit.
 */

/** What a check runs: the project's install, build, lint and test commands, in that order. */
export const CHECK_KINDS = ["install", "build", "lint", "test"] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** The offline checks that gate a task (install is a preparation step, not a gate). */
export const GATE_CHECK_KINDS = ["build", "lint", "test"] as const satisfies readonly CheckKind[];

/**
 * passed / failed: the command ran and exited 0 / non-zero (or was killed at a limit).
 * error: it could not run (the sandbox refused, the checkout failed).
 * skipped: nothing ran — no sandbox on this host, or no command for this kind.
 */
export const CHECK_STATUSES = ["passed", "failed", "error", "skipped"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/**
 * Where a check ran: `agent` — an agent's `run_checks` on its working tree; `task` — the gate on
 * an attempt's commit; `branch` — the run branch's merged result after the last task;
 * `default_branch` — the project's default branch, on request.
 */
export const CHECK_SCOPES = ["agent", "task", "branch", "default_branch"] as const;
export type CheckScope = (typeof CHECK_SCOPES)[number];

/** Test counts parsed from a runner's output (TAP, JUnit XML, "N passed, N failed" lines). */
export type CheckCounts = {
  format: "tap" | "junit" | "plain";
  passed: number;
  failed: number;
  skipped: number;
  total: number;
};

/** How a command was run: the sandbox driver, or "none" when this host cannot execute code. */
export const SANDBOX_DRIVER_NAMES = ["bubblewrap", "docker", "host", "none"] as const;
export type SandboxDriverName = (typeof SANDBOX_DRIVER_NAMES)[number];

/** The message users see wherever execution is refused for want of a sandbox. */
export const NO_SANDBOX_MESSAGE = "Code execution needs bubblewrap or Docker";

import type { SandboxDriverName } from "@/lib/checks/kinds";
import { FINAL_RUN_STATUSES, type RunEvent, type RunStatus } from "@/lib/runs/events";

/**
 * What the run page says about how a run's code was executed, derived from its events and its
 * checks (pure; the page reads them, the live view can call these on every event).
 */

/** The shape these functions read from a check row (db/schema/checks.ts). */
export type CheckExecutionFacts = { kind: string; driver: SandboxDriverName; network: boolean };

/**
 * True when this run went on without running code: its feed says the sandbox was unavailable, a
 * check was skipped for want of one (driver "none"), or this host cannot execute
 * (`hostCanExecute: false`) and the run never ran a command.
 */
export function ranWithoutSandbox(
  events: readonly RunEvent[],
  opts: { checks?: readonly CheckExecutionFacts[]; hostCanExecute?: boolean } = {},
): boolean {
  if (events.some((e) => e.type === "sandbox.unavailable")) return true;
  if (opts.checks?.some((c) => c.driver === "none")) return true;
  if (opts.hostCanExecute === false) {
    return !events.some((e) => e.type === "command.started" && e.driver !== "none");
  }
  return false;
}

/**
 * True when the run's install step had (or, for a run still going, will have) network access.
 * What happened wins: an install check or install command in the run says whether it had network.
 * Before any install step ran, an unfinished run follows the organization's setting; a finished
 * one had none.
 */
export function installStepHadNetwork(input: {
  events: readonly RunEvent[];
  checks?: readonly CheckExecutionFacts[];
  orgSetting: boolean;
  runStatus: RunStatus;
}): boolean {
  const installs = [
    ...(input.checks ?? []).filter((c) => c.kind === "install").map((c) => c.network),
    ...input.events.flatMap((e) =>
      e.type === "command.started" && e.purpose === "check" && e.kind === "install" ? [e.network] : [],
    ),
  ];
  if (installs.length > 0) return installs.some(Boolean);
  return input.orgSetting && !FINAL_RUN_STATUSES.includes(input.runStatus);
}

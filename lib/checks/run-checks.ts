import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { runEvents } from "@/db/schema";
import { appendRunEvents } from "@/lib/runs/event-log";
import type { SandboxAvailability, SandboxResult } from "@/lib/sandbox/types";
import { type CheckKind, NO_SANDBOX_MESSAGE } from "./kinds";
import { outputEvents } from "./output-events";
import { parseCheckCounts } from "./parse";
import type { CheckPlan } from "./project-commands";
import { type CheckRow, type CheckTarget, findCheck, recordCheck } from "./record-check";

/** Why a command that did not exit by itself was stopped, in words. */
export function outcomeReason(
  result: Pick<SandboxResult, "outcome" | "exitCode">,
  wallMs?: number,
): string | null {
  switch (result.outcome) {
    case "exited":
      return result.exitCode === 0 ? null : `Exited with code ${result.exitCode}.`;
    case "wall_time":
      return `Killed at the wall-time limit${wallMs ? ` (${Math.round(wallMs / 1000)} s)` : ""}.`;
    case "cpu_time":
      return "Killed at the CPU-time limit.";
    case "memory":
      return "Killed at the memory limit.";
    case "processes":
      return "Stopped at the process limit.";
    case "output":
      return "Stopped: it wrote more output than the limit allows.";
    case "aborted":
      return "Stopped: the run was cancelled.";
  }
}

/**
 * Package managers told they are offline (and not to look for updates), so a command that would
 * fetch fails at once instead of retrying until the wall-time limit.
 */
export const OFFLINE_ENV: Readonly<Record<string, string>> = Object.freeze({
  npm_config_offline: "true",
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
  PIP_NO_INDEX: "1",
  CI: "true",
});
const ONLINE_ENV: Readonly<Record<string, string>> = Object.freeze({
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
  CI: "true",
});

export type RunChecksOptions = {
  /** The kinds to run (install comes first whenever the plan has it); all the plan has by default. */
  kinds?: readonly CheckKind[];
  agentSlug?: string | null;
  signal?: AbortSignal;
  wallMs?: number;
  /** Host paths the commands may read (a working copy's origin objects). */
  readOnlyPaths?: string[];
};

/** Logs once per run that this host cannot execute code, so the feed and the run page say so. */
async function noteUnavailable(target: CheckTarget, message: string) {
  const { runId } = target;
  if (!runId) return;
  await withTenant({ orgId: target.orgId }, async (tx) => {
    const [seen] = await tx
      .select({ id: runEvents.id })
      .from(runEvents)
      .where(
        and(
          eq(runEvents.orgId, target.orgId),
          eq(runEvents.runId, runId),
          eq(runEvents.type, "sandbox.unavailable"),
        ),
      )
      .limit(1);
    if (!seen) {
      await appendRunEvents(tx, { orgId: target.orgId, runId }, [
        { type: "sandbox.unavailable", taskId: target.taskId, message },
      ]);
    }
  });
}

/**
 * Runs a plan's commands in the sandbox on `dir`, one after the other, each stored as a check of
 * `target` with its output streamed to the run's feed as it comes. A kind the step already
 * recorded is not run again (a crash mid-check re-runs only the command that had no result).
 * After a failed install the other commands are not run (they would fail for want of it). With
 * no sandbox on this host nothing runs: each check is stored as skipped, with the reason.
 */
export async function runChecks(
  target: CheckTarget,
  plan: CheckPlan,
  dir: string,
  sandbox: SandboxAvailability,
  opts: RunChecksOptions = {},
): Promise<CheckRow[]> {
  const wanted = opts.kinds;
  const commands = plan.commands.filter((c) => c.kind === "install" || !wanted || wanted.includes(c.kind));
  if (!commands.some((c) => c.kind !== "install")) return [];
  const rows: CheckRow[] = [];
  let blocked: string | null = null;
  for (const { kind, command } of commands) {
    const existing = await findCheck(target, kind);
    if (existing) {
      rows.push(existing);
      if (kind === "install" && existing.status !== "passed") blocked = "Not run: the install step failed.";
      continue;
    }
    const network = kind === "install";
    const base = {
      kind,
      command,
      exitCode: null,
      durationMs: 0,
      counts: null,
      log: "",
      outputBytes: 0,
      truncated: false,
      network,
      cpuMs: null,
      maxRssKb: null,
    };
    if (!sandbox.available) {
      await noteUnavailable(target, sandbox.reason);
      rows.push(
        await recordCheck(target, {
          ...base,
          status: "skipped",
          driver: "none",
          reason: `${NO_SANDBOX_MESSAGE}: not run on this host.`,
        }),
      );
      continue;
    }
    if (blocked) {
      rows.push(
        await recordCheck(target, {
          ...base,
          status: "skipped",
          driver: sandbox.driver.name,
          reason: blocked,
        }),
      );
      continue;
    }
    rows.push(await runOne(target, { kind, command, network }, dir, sandbox, plan, opts));
    const last = rows.at(-1) as CheckRow;
    if (kind === "install" && last.status !== "passed") blocked = "Not run: the install step failed.";
  }
  return rows;
}

async function runOne(
  target: CheckTarget,
  cmd: { kind: CheckKind; command: string; network: boolean },
  dir: string,
  sandbox: Extract<SandboxAvailability, { available: true }>,
  plan: CheckPlan,
  opts: RunChecksOptions,
): Promise<CheckRow> {
  const driver = sandbox.driver;
  const scope = target.runId ? { orgId: target.orgId, runId: target.runId } : null;
  const execId = randomUUID();
  if (scope) {
    await withTenant({ orgId: scope.orgId }, (tx) =>
      appendRunEvents(tx, scope, [
        {
          type: "command.started",
          execId,
          taskId: target.taskId,
          agentSlug: opts.agentSlug ?? null,
          command: cmd.command,
          purpose: "check",
          kind: cmd.kind,
          driver: driver.name,
          network: cmd.network,
        },
      ]),
    );
  }
  const live = outputEvents(scope, execId, target.taskId);
  let result: SandboxResult;
  try {
    result = await driver.run({
      dir,
      command: cmd.command,
      network: cmd.network,
      env: cmd.network ? ONLINE_ENV : OFFLINE_ENV,
      readOnlyPaths: opts.readOnlyPaths,
      image: plan.image ?? undefined,
      signal: opts.signal,
      limits: opts.wallMs ? { wallMs: opts.wallMs } : undefined,
      onOutput: (chunk) => live.push(chunk),
    });
  } catch (error) {
    // Not a result: the step fails and is retried (nothing is stored for this command).
    await live.close();
    throw error;
  }
  await live.close();
  if (scope) {
    await withTenant({ orgId: scope.orgId }, (tx) =>
      appendRunEvents(tx, scope, [
        {
          type: "command.finished",
          execId,
          taskId: target.taskId,
          exitCode: result.exitCode,
          outcome: result.outcome,
          durationMs: result.durationMs,
          outputBytes: result.outputBytes,
          truncated: result.truncated,
        },
      ]),
    );
  }
  const passed = result.outcome === "exited" && result.exitCode === 0;
  return recordCheck(target, {
    kind: cmd.kind,
    command: cmd.command,
    status: passed ? "passed" : "failed",
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    counts: cmd.kind === "test" ? parseCheckCounts(result.output) : null,
    log: result.output,
    outputBytes: result.outputBytes,
    truncated: result.truncated,
    driver: driver.name,
    network: cmd.network,
    reason: outcomeReason(result, opts.wallMs),
    cpuMs: result.usage.cpuMs === null ? null : Math.round(result.usage.cpuMs),
    maxRssKb: result.usage.maxRssKb === null ? null : Math.round(result.usage.maxRssKb),
  });
}

/** Whether a set of checks lets work through: none failed or errored (skipped ones do not block). */
export function checksPassed(rows: readonly Pick<CheckRow, "status">[]): boolean {
  return rows.every((r) => r.status === "passed" || r.status === "skipped");
}

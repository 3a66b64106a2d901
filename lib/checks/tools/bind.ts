import { randomUUID } from "node:crypto";
import path from "node:path";
import { tool } from "ai";
import { withTenant } from "@/db";
import { directorySource } from "@/lib/repos/detect-commands";
import type { Workspace } from "@/lib/repos/tools/types";
import { appendRunEvents } from "@/lib/runs/event-log";
import type { SandboxAvailability } from "@/lib/sandbox/types";
import { NO_SANDBOX_MESSAGE } from "../kinds";
import { outputEvents } from "../output-events";
import { checkPlan } from "../project-commands";
import { checksPassed, OFFLINE_ENV, outcomeReason, runChecks } from "../run-checks";
import { tailOf } from "../sanitize";
import {
  type ExecToolName,
  execToolDescriptions,
  execToolInputSchemas,
  type RunChecksOutput,
  type RunCommandOutput,
} from "./schemas";

/** What the model reads of a command's output: its end, where the result and the errors are. */
const MODEL_OUTPUT_CHARS = 6000;

export type ExecToolContext = {
  scope: { orgId: string; runId: string };
  projectId: string;
  branch: string;
  taskId: string;
  attempt: number;
  agentSlug: string;
  workspace: Workspace;
  /** The project's bare origin: its objects are bound read-only, so git reads history in the clone. */
  origin: string;
  /** The model call's step: checks it stores are keyed by it, so a re-run returns them. */
  key: string;
  sandbox: () => Promise<SandboxAvailability>;
};

/**
 * `run_command` and `run_checks`, bound to a task's working tree. Output streams to the run's
 * feed as it comes; `run_checks` stores each result as a check of the attempt (scope `agent`).
 */
export function createExecTools(ctx: ExecToolContext, names: readonly ExecToolName[]) {
  let checkCalls = 0;
  const unavailable = (reason: string) =>
    `${reason.replace(/\.$/, "")}. Nothing was run; say in your result that the code could not be executed here.`;

  const run_command = tool({
    description: execToolDescriptions.run_command,
    inputSchema: execToolInputSchemas.run_command,
    execute: async ({ command, timeoutSeconds }, { abortSignal }): Promise<RunCommandOutput> => {
      const sandbox = await ctx.sandbox();
      if (!sandbox.available) {
        return {
          exitCode: null,
          outcome: "refused",
          durationMs: 0,
          output: "",
          truncated: false,
          error: unavailable(sandbox.reason),
        };
      }
      const execId = randomUUID();
      await withTenant({ orgId: ctx.scope.orgId }, (tx) =>
        appendRunEvents(tx, ctx.scope, [
          {
            type: "command.started",
            execId,
            taskId: ctx.taskId,
            agentSlug: ctx.agentSlug,
            command,
            purpose: "command",
            driver: sandbox.driver.name,
            network: false,
          },
        ]),
      );
      const live = outputEvents(ctx.scope, execId, ctx.taskId);
      try {
        const result = await sandbox.driver.run({
          dir: ctx.workspace.dir,
          command,
          env: OFFLINE_ENV,
          readOnlyPaths: [path.join(ctx.origin, "objects")],
          signal: abortSignal,
          limits: timeoutSeconds ? { wallMs: timeoutSeconds * 1000 } : undefined,
          onOutput: (chunk) => live.push(chunk),
        });
        await live.close();
        await withTenant({ orgId: ctx.scope.orgId }, (tx) =>
          appendRunEvents(tx, ctx.scope, [
            {
              type: "command.finished",
              execId,
              taskId: ctx.taskId,
              exitCode: result.exitCode,
              outcome: result.outcome,
              durationMs: result.durationMs,
              outputBytes: result.outputBytes,
              truncated: result.truncated,
            },
          ]),
        );
        const output = tailOf(result.output, 400, MODEL_OUTPUT_CHARS);
        const why = outcomeReason(result, timeoutSeconds ? timeoutSeconds * 1000 : undefined);
        return {
          exitCode: result.exitCode,
          outcome: result.outcome,
          durationMs: result.durationMs,
          output: result.outcome === "exited" || !why ? output : `${output}\n(${why})`,
          truncated: result.truncated || output.length < result.output.length,
        };
      } catch (error) {
        await live.close();
        return {
          exitCode: null,
          outcome: "error",
          durationMs: 0,
          output: "",
          truncated: false,
          error: `The sandbox could not run the command: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    },
  });

  const run_checks = tool({
    description: execToolDescriptions.run_checks,
    inputSchema: execToolInputSchemas.run_checks,
    execute: async ({ only }): Promise<RunChecksOutput> => {
      const n = checkCalls++;
      const plan = await checkPlan(
        { orgId: ctx.scope.orgId, projectId: ctx.projectId },
        directorySource(ctx.workspace.dir),
      );
      if (!plan.commands.some((c) => c.kind !== "install")) {
        return {
          passed: false,
          checks: [],
          error:
            "The project has no build, lint or test command (none in its manifests or its repository settings). Add a test script, e.g. package.json scripts.test.",
        };
      }
      const sandbox = await ctx.sandbox();
      const rows = await runChecks(
        {
          orgId: ctx.scope.orgId,
          projectId: ctx.projectId,
          runId: ctx.scope.runId,
          taskId: ctx.taskId,
          attempt: ctx.attempt,
          scope: "agent",
          branch: ctx.branch,
          commitSha: null,
          stepKey: `${ctx.key}:checks-${n}`,
        },
        plan,
        ctx.workspace.dir,
        sandbox,
        { kinds: only, agentSlug: ctx.agentSlug, readOnlyPaths: [path.join(ctx.origin, "objects")] },
      );
      return {
        passed: sandbox.available && checksPassed(rows),
        checks: rows.map((r) => ({
          kind: r.kind,
          command: r.command,
          status: r.status,
          exitCode: r.exitCode,
          durationMs: r.durationMs,
          counts: r.counts
            ? {
                passed: r.counts.passed,
                failed: r.counts.failed,
                skipped: r.counts.skipped,
                total: r.counts.total,
              }
            : null,
          output: tailOf(r.log, 120, r.status === "passed" ? 1500 : 4000),
        })),
        ...(sandbox.available ? {} : { error: unavailable(NO_SANDBOX_MESSAGE) }),
      };
    },
  });

  const all = { run_command, run_checks };
  return Object.fromEntries(names.map((name) => [name, all[name]]));
}

import type { ModelMessage } from "ai";
import { ORCHESTRATOR_SLUG } from "@/lib/agents/catalog";
import { loadMcpRunTools } from "@/lib/mcp-client/run-tools";
import type { Workspace } from "@/lib/repos/tools/types";
import { openWorkingCopy, snapshotWorkingCopy } from "@/lib/repos/workspace/working-copy";
import type { SandboxAvailability } from "@/lib/sandbox/types";
import { streamModelCall } from "./agent-call";
import { toRunFailure } from "./failure";
import { once, type StepKey, storedResult } from "./once";
import { callRef, runRepository, taskWorkingCopy } from "./repo-work";
import { agentOf, inTenant, loadEnvironment, loadTask, type TaskRow } from "./state";
import { bindTools, type ExecBinding, type ToolOutcome } from "./tools";
import { BudgetExhaustedError, type ModelResolver, RunCancelledError, type RunScope } from "./types";

/**
 * An agent's turn is a loop of model calls driven by the run function, each call its own step
 * (`<attempt>-call-<n>`): a call streams, runs the tools the model asked for (their writes take
 * ids derived from the step, so running the step again does not repeat them), and returns the
 * assistant message and tool results the next call continues from.
 */

/** Whose turn: a task's agent, or the orchestrator writing the run summary. */
export type TurnSubject = { taskId: string } | { summary: true };

export type CallResult =
  | ({
      kind: "message";
      artifactId: string | null;
      questionApprovalId: string | null;
      /** The working tree after this call (a snapshot commit in the origin); null without one. */
      snapshot?: string | null;
    } & {
      text: string;
      messages: ModelMessage[];
      wantsMore: boolean;
    })
  | { kind: "budget" }
  | { kind: "cancelled" };

/** What a turn produced, for the step that ends the attempt. */
export type TurnOutcome =
  | {
      kind: "done";
      text: string;
      artifactId: string | null;
      questionApprovalId: string | null;
      snapshot: string | null;
    }
  | { kind: "budget" }
  | { kind: "cancelled" };

/**
 * Call `n` of a task's attempt works in the task's working copy, put first in the state the
 * previous call left (its snapshot, or the attempt's start), and snapshots it after: a call step
 * run again, here or in another process, starts from the same files and writes the same ref.
 */
export type CallWorkspace = { attempt: number; n: number; base: string; from: string };

/** One model call of a turn, as a step body. */
export async function callAgent(
  scope: RunScope,
  resolve: ModelResolver,
  subject: TurnSubject,
  prompt: { instructions: string; messages: ModelMessage[] },
  history: ModelMessage[],
  key: StepKey,
  timeoutMs: number,
  place?: CallWorkspace,
  sandbox?: () => Promise<SandboxAvailability>,
): Promise<CallResult> {
  const stored = await storedResult<CallResult>(scope, key);
  if (stored) return stored.result;
  const env = await loadEnvironment(scope);
  let task: TaskRow | null = null;
  let slug = ORCHESTRATOR_SLUG;
  let granted: readonly string[] = ["write_artifact"];
  if ("taskId" in subject) {
    const row = await inTenant(scope, (tx) => loadTask(tx, scope, subject.taskId));
    if (row?.status !== "in_progress") return { kind: "cancelled" };
    task = row;
    slug = row.agentSlug;
    granted = agentOf(env, slug).definition.tools;
  }
  const agent = agentOf(env, slug).definition;
  const outcome: ToolOutcome = { artifactId: null, questionApprovalId: null };
  let workspace: Workspace | undefined;
  let origin = "";
  let exec: ExecBinding | undefined;
  if (task && place) {
    const repo = await runRepository(scope);
    origin = repo.origin;
    workspace = await openWorkingCopy(origin, taskWorkingCopy(scope, repo.projectId, task.id), place);
    if (sandbox)
      exec = { projectId: repo.projectId, origin, branch: repo.branch, attempt: place.attempt, sandbox };
  }
  const builtin = bindTools({ scope, env, task, agentSlug: slug, granted, outcome, key, workspace, exec });
  // The external MCP tools an admin granted this agent, read at every call (lib/mcp-client).
  const mcp = await loadMcpRunTools({ orgId: scope.orgId, agentSlug: slug, reserved: Object.keys(builtin) });
  const tools = { ...builtin, ...mcp.tools };
  const model = await resolve(scope.orgId, agent.modelTier, agent);
  try {
    const out = await streamModelCall(
      { scope, taskId: task?.id ?? null, agentSlug: slug, model, key },
      { instructions: prompt.instructions, messages: [...prompt.messages, ...history] },
      tools,
      timeoutMs,
    );
    const snapshot =
      task && place && workspace
        ? await snapshotWorkingCopy(
            origin,
            workspace.dir,
            place,
            callRef(scope, task.id, place.attempt, place.n),
          )
        : null;
    const result: CallResult = {
      kind: "message",
      ...out,
      snapshot,
      wantsMore: out.wantsMore && !outcome.questionApprovalId,
      artifactId: outcome.artifactId,
      questionApprovalId: outcome.questionApprovalId,
    };
    return once(scope, key, async () => result);
  } catch (error) {
    if (error instanceof BudgetExhaustedError) return { kind: "budget" };
    if (error instanceof RunCancelledError) return { kind: "cancelled" };
    throw toRunFailure(error);
  }
}

/** Folds a turn's call results into its outcome (the latest artifact written, the question asked). */
export function foldTurn(calls: CallResult[]): TurnOutcome {
  let text = "";
  let artifactId: string | null = null;
  let questionApprovalId: string | null = null;
  let snapshot: string | null = null;
  for (const call of calls) {
    if (call.kind !== "message") return call;
    text += call.text;
    artifactId = call.artifactId ?? artifactId;
    questionApprovalId = call.questionApprovalId ?? questionApprovalId;
    snapshot = call.snapshot ?? snapshot;
  }
  return { kind: "done", text, artifactId, questionApprovalId, snapshot };
}

import type { ModelTier } from "@/lib/agents/schema";
import type { ResolvedModel } from "@/lib/ai/providers";
import type { SandboxAvailability } from "@/lib/sandbox/types";

/** Every execution helper works on one run of one organization; every query filters by both. */
export type RunScope = { orgId: string; runId: string };

export type ModelResolver = (
  orgId: string,
  tier: ModelTier,
  agent: { slug: string; modelId?: string },
) => Promise<ResolvedModel>;

/** What the run function can be given in tests: a scripted model instead of the org's provider. */
export type RunDeps = {
  resolveModel: ModelResolver;
  /** Parallel tasks per run. */
  maxParallel?: number;
  /** How often a run waiting for a free slot in its organization checks again (Inngest duration). */
  slotPollInterval?: string;
  /** An approval is re-checked this often, `approvalPolls` times, then times out. */
  approvalPollInterval?: string;
  approvalPolls?: number;
  /**
   * Runs a step's body. Tests wrap it to run bodies twice (at-least-once) or to kill the process
   * after a body's effects committed and before the executor stored its result.
   */
  runStep?: (stepId: string, body: () => Promise<unknown>) => Promise<unknown>;
  /** Each model call is aborted after this long, so no step outlasts a serverless request. */
  modelCallTimeoutMs?: number;
  /** Where agents' commands and the checks run (the host's sandbox by default). */
  sandbox?: () => Promise<SandboxAvailability>;
};

/** A model call was refused because the run's token budget is spent. */
export class BudgetExhaustedError extends Error {
  constructor(
    readonly used: number,
    readonly budget: number,
  ) {
    super(`The run has used ${used} of its ${budget} tokens.`);
    this.name = "BudgetExhaustedError";
  }
}

/** The run was cancelled while a step was working; the step stops writing. */
export class RunCancelledError extends Error {
  constructor() {
    super("The run was cancelled.");
    this.name = "RunCancelledError";
  }
}

/** Reviews per task before a person decides: the first attempt and two reworks. */
export const MAX_TASK_ATTEMPTS = 3;
/** Plan attempts: the first and two re-asks with the validation feedback. */
export const MAX_PLAN_ATTEMPTS = 3;
/** Model calls (each with the tools it asks for) an agent may make in one attempt. */
export const MAX_AGENT_CALLS = 8;

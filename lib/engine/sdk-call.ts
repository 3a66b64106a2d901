import type { EngineContext } from "./context";
import type { EngineFunction } from "./registry";
import type { RunRow } from "./store";
import { serializeError } from "./transaction";
import { executionRequest, type StepState } from "./transport";

/** One call of the SDK's execution protocol and its answer, parsed. */

export type Op = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: unknown;
  opts?: Record<string, unknown>;
  userland?: { id?: string };
  timing?: { a?: number; b?: number };
};

export type Outcome =
  | { type: "complete"; output: unknown }
  | { type: "ops"; ops: Op[]; retryAfter?: string | null }
  | { type: "error"; error: unknown; retriable: boolean; retryAfter?: string | null };

export type CallRequest = {
  stepId: string;
  steps: StepState;
  stack: string[];
  attempt: number;
  disableImmediateExecution: boolean;
  checkpoint?: { claim: string };
};

export async function callFunction(
  ctx: EngineContext,
  fn: EngineFunction,
  run: RunRow,
  r: CallRequest,
): Promise<Outcome> {
  let res: Response;
  let text: string;
  const t0 = performance.now();
  ctx.log("debug", {
    msg: "sdk.call",
    runId: run.id,
    functionId: fn.id,
    stepId: r.stepId,
    attempt: r.attempt,
  });
  try {
    res = await ctx.transport.send(
      executionRequest(ctx.transport, ctx.signingKey, {
        functionId: fn.id,
        runId: run.id,
        event: JSON.parse(run.event),
        maxAttempts: fn.maxAttempts,
        ...r,
      }),
    );
    text = await res.text();
    ctx.log("debug", {
      msg: "sdk.response",
      runId: run.id,
      functionId: fn.id,
      status: res.status,
      durationMs: Math.round(performance.now() - t0),
    });
  } catch (error) {
    return { type: "error", error: serializeError(error), retriable: true };
  }
  const body = (() => {
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return text;
    }
  })();
  if (res.status === 200) return { type: "complete", output: body };
  if (res.status === 206) {
    const ops = (Array.isArray(body) ? body : [body]) as Op[];
    return { type: "ops", ops, retryAfter: res.headers.get("retry-after") };
  }
  const noRetry = res.headers.get("x-inngest-no-retry") === "true";
  const error =
    body && typeof body === "object"
      ? body
      : { name: "Error", message: `The serve handler answered ${res.status}` };
  return { type: "error", error, retriable: !noRetry, retryAfter: res.headers.get("retry-after") };
}

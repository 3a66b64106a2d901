import { NonRetriableError } from "inngest";
import { describeModelError, UNEXPECTED_MODEL_ERROR } from "@/lib/ai/model-errors";

/**
 * Why a step of a run failed, in words a member of the organization can act on: no stack trace,
 * no provider response body, no SQL. The original error goes to the server log only.
 */
export const FAILURE_NAME = "RunFailure";

/** A failure worth retrying (rate limit, provider outage, timeout): the step is tried again. */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = FAILURE_NAME;
  }
}

/** A failure no retry can fix (a refused key, a request the provider rejects). */
export class FinalRunFailure extends NonRetriableError {
  constructor(message: string) {
    super(message);
    this.name = FAILURE_NAME;
  }
}

type Described = { message: string; retriable: boolean };

const causes = (error: unknown): unknown[] => {
  const chain: unknown[] = [];
  let current: unknown = error;
  for (let i = 0; i < 6 && current; i++) {
    chain.push(current);
    const e = current as { lastError?: unknown; cause?: unknown };
    current = e.lastError ?? e.cause;
  }
  return chain;
};

const MODEL_ERROR_NAMES = new Set([
  "ModelCallError",
  "StreamCutError",
  "ModelTimeoutError",
  "UnreachableUrlError",
  "TimeoutError",
  "AbortError",
]);
const fromModelCall = (e: unknown) => {
  const name = (e as { name?: unknown })?.name;
  return typeof name === "string" && (name.startsWith("AI_") || MODEL_ERROR_NAMES.has(name));
};

const isHttpError = (e: unknown) => {
  const status = (e as { statusCode?: unknown })?.statusCode;
  return typeof status === "number" && status >= 400;
};

/** Whether a retry of the step may pass (the wording comes from lib/ai/model-errors). */
function isRetriable(error: unknown): boolean {
  for (const e of causes(error)) {
    const err = e as { name?: string; statusCode?: number };
    if (err?.name === FAILURE_NAME) return true;
    // The provider layer already retried what an HTTP status allowed (lib/ai/resilient-model); a cut
    // stream or a timeout it does not retry once text has arrived, so the step tries again.
    if (err?.name === "ModelCallError") return !causes(e).some(isHttpError);
    if (err?.name === "AI_LoadAPIKeyError") return false;
    const status = typeof err?.statusCode === "number" ? err.statusCode : undefined;
    if (status === 429 || status === 408 || (status !== undefined && status >= 500)) return true;
    if (status !== undefined && status >= 400) return false;
  }
  return true;
}

/** Classifies an error from a step: a reason a member can read, and whether to retry. */
export function describeFailure(error: unknown): Described {
  for (const e of causes(error)) {
    const err = e as { name?: string; message?: string };
    if (err?.name === FAILURE_NAME && err.message) return { message: err.message, retriable: true };
    if (err?.name === "AI_LoadAPIKeyError")
      return { message: "No API key is configured for the model provider.", retriable: false };
  }
  // Only a model call's failure is worded as one: a database error mentioning "terminated" is not a
  // cut stream.
  const described = causes(error).some(fromModelCall) ? describeModelError(error) : UNEXPECTED_MODEL_ERROR;
  return {
    message: described === UNEXPECTED_MODEL_ERROR ? "The step stopped on an unexpected error." : described,
    retriable: isRetriable(error),
  };
}

/** The error a step throws for `error`: retried when it may pass, final otherwise. */
export function toRunFailure(error: unknown): Error {
  const described = describeFailure(error);
  if ((error as { name?: string })?.name !== FAILURE_NAME) console.error("[agent-run] step failed", error);
  return described.retriable ? new RunFailure(described.message) : new FinalRunFailure(described.message);
}

/** The readable reason for a failure that reached the run function (a StepError keeps the name). */
export function reasonOf(error: unknown): string {
  const e = error as { name?: string; message?: string };
  if (e?.name === FAILURE_NAME && e.message) return e.message.slice(0, 500);
  return describeFailure(error).message;
}

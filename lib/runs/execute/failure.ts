import { NonRetriableError } from "inngest";

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

/** Classifies an error from a model call (AI SDK errors are matched by shape, across copies). */
export function describeFailure(error: unknown): Described {
  for (const e of causes(error)) {
    const err = e as { name?: string; statusCode?: number; message?: string };
    if (err?.name === FAILURE_NAME && err.message) return { message: err.message, retriable: true };
    const status = typeof err?.statusCode === "number" ? err.statusCode : undefined;
    if (status === 401 || status === 403)
      return { message: `The model provider refused the API key (${status}).`, retriable: false };
    if (status === 429)
      return {
        message: "The model provider is limiting requests (429); the run stopped after retrying.",
        retriable: true,
      };
    if (status === 404)
      return { message: "The model provider does not know the configured model (404).", retriable: false };
    if (status && status >= 500)
      return {
        message: `The model provider failed (${status}); the run stopped after retrying.`,
        retriable: true,
      };
    if (status && status >= 400)
      return {
        message: `The model provider rejected the request (${status}); check the model and its settings.`,
        retriable: false,
      };
    if (err?.name === "AbortError" || err?.name === "TimeoutError")
      return { message: "The model did not answer in time.", retriable: true };
    if (err?.name === "AI_NoObjectGeneratedError" || err?.name === "AI_JSONParseError")
      return { message: "The model did not return the structured answer it was asked for.", retriable: true };
    if (err?.name === "AI_LoadAPIKeyError")
      return { message: "No API key is configured for the model provider.", retriable: false };
  }
  const code = (error as { code?: string })?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ECONNRESET")
    return { message: "The model provider could not be reached.", retriable: true };
  return { message: "The step stopped on an unexpected error.", retriable: true };
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

import {
  APICallError,
  InvalidToolInputError,
  JSONParseError,
  NoObjectGeneratedError,
  NoSuchToolError,
  RetryError,
  TypeValidationError,
} from "ai";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";

/**
 * A model call that failed for good, with a reason a user can read (no stack, no provider JSON).
 * The run stores `message` as the task's or the run's reason; `cause` keeps the original for logs.
 */
export class ModelCallError extends Error {
  readonly statusCode?: number;
  readonly retries: number;
  constructor(message: string, options: { cause?: unknown; statusCode?: number; retries?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = "ModelCallError";
    this.statusCode = options.statusCode;
    this.retries = options.retries ?? 0;
  }
}

/** No answer (or no next chunk) within the configured time. */
export class ModelTimeoutError extends Error {
  constructor(
    readonly phase: "first-token" | "next-chunk" | "response",
    readonly timeoutMs: number,
  ) {
    super(`No ${phase === "response" ? "response" : "token"} from the model within ${timeoutMs} ms.`);
    this.name = "ModelTimeoutError";
  }
}

/** The connection closed before the answer was complete. */
export class StreamCutError extends Error {
  constructor(cause?: unknown) {
    super("The model provider's connection closed mid-answer.", { cause });
    this.name = "StreamCutError";
  }
}

const retried = (n: number) => (n > 0 ? `; retried ${n} time${n === 1 ? "" : "s"}` : "");
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** A provider's own message, only when it is a short plain sentence (never a JSON body or a stack). */
function providerMessage(message: string | undefined): string {
  const text = (message ?? "").replace(/\s+/g, " ").trim();
  if (!text || text.length > 200 || /[{}[\]]|\bat \S+:\d+/.test(text)) return "";
  return `: ${text.replace(/\.$/, "")}`;
}

const causeNamed = (error: unknown, name: string): boolean => {
  for (let e = error, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { name?: unknown }).name === name) return true;
  }
  return false;
};

const errorCode = (error: unknown): string | undefined => {
  for (let e = error, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
};

function describeApiCall(error: APICallError, retries: number): string {
  const status = error.statusCode;
  if (status === undefined) {
    const code = errorCode(error);
    const host = (() => {
      try {
        return new URL(error.url).host;
      } catch {
        return "the provider";
      }
    })();
    const why =
      code === "ECONNREFUSED"
        ? "connection refused"
        : code === "ENOTFOUND"
          ? "unknown host"
          : "network error";
    return `The model provider could not be reached at ${host} (${why})${retried(retries)}.`;
  }
  if (status === 401)
    return "The model provider refused the API key (401). Check the key in the AI settings.";
  if (status === 403)
    return "The model provider denied access (403). Check the API key's permissions and the model id.";
  if (status === 404)
    return "The model provider does not know this model or URL (404). Check the model id and the base URL.";
  if (status === 429) return `The model provider is rate limiting requests (429)${retried(retries)}.`;
  if (status === 408) return `The model provider timed out (408)${retried(retries)}.`;
  if (status >= 500) return `The model provider had a server error (${status})${retried(retries)}.`;
  if (
    status === 400 &&
    /response_format|json_schema|json mode|structured output/i.test(error.responseBody ?? error.message)
  )
    return "The model provider does not support JSON output (400), which planning and reviews need.";
  return `The model provider rejected the request (${status})${providerMessage(error.message)}.`;
}

export const UNEXPECTED_MODEL_ERROR = "The model call failed for an unexpected reason.";

/**
 * One reason a user can read for any failed model call: HTTP errors by status, retries counted,
 * timeouts, cut streams, answers that are not the JSON asked for, bad tool calls.
 */
export function describeModelError(error: unknown, options: { retries?: number } = {}): string {
  const retries = options.retries ?? 0;
  if (error instanceof ModelCallError) return error.message;
  // The same error after a trip through a step's serialization (an onFailure handler gets name + message).
  const named = error as { name?: unknown; message?: unknown } | null;
  if (named?.name === "ModelCallError" && typeof named.message === "string") return named.message;
  // The guarded fetch refused the org's model server: say no more than the guard does.
  if (causeNamed(error, "UnreachableUrlError"))
    return `${UNREACHABLE_MESSAGE} Check the base URL in the AI settings.`;
  if (RetryError.isInstance(error)) {
    return describeModelError(error.lastError, { retries: Math.max(retries, error.errors.length - 1) });
  }
  if (error instanceof ModelTimeoutError) {
    const what = error.phase === "next-chunk" ? "stopped answering for" : "did not answer within";
    return `The model provider ${what} ${seconds(error.timeoutMs)}${retried(retries)}.`;
  }
  if (error instanceof StreamCutError) return `${error.message.replace(/\.$/, "")}${retried(retries)}.`;
  if (APICallError.isInstance(error)) return describeApiCall(error, retries);
  if (NoObjectGeneratedError.isInstance(error)) {
    const text = (error.text ?? "").trim();
    if (!text) return "The model returned an empty answer where JSON was required.";
    return text.startsWith("{") || text.startsWith("[")
      ? "The model's JSON answer was cut off or malformed."
      : "The model answered with text where JSON was required.";
  }
  if (JSONParseError.isInstance(error)) return "The model's JSON answer was cut off or malformed.";
  if (TypeValidationError.isInstance(error))
    return "The model's JSON answer did not have the required fields.";
  if (InvalidToolInputError.isInstance(error))
    return `The model called the tool "${error.toolName}" with invalid arguments.`;
  if (NoSuchToolError.isInstance(error))
    return `The model called a tool that does not exist ("${error.toolName}").`;
  const name = (error as { name?: string })?.name;
  if (name === "TimeoutError") return `The model did not answer in time${retried(retries)}.`;
  if (name === "AbortError") return "The model call was stopped before it finished.";
  if (
    errorCode(error) === "ECONNRESET" ||
    /terminated|socket hang up|other side closed/i.test(String((error as Error)?.message))
  )
    return `The model provider's connection closed mid-answer${retried(retries)}.`;
  return UNEXPECTED_MODEL_ERROR;
}

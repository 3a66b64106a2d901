import { APICallError, type LanguageModel, type LanguageModelMiddleware, wrapLanguageModel } from "ai";
import { extractJson } from "./extract-json";
import { describeModelError, ModelCallError, ModelTimeoutError, StreamCutError } from "./model-errors";

type LanguageModelV4 = Extract<LanguageModel, { specificationVersion: "v4" }>;
type CallOptions = Parameters<LanguageModelV4["doGenerate"]>[0];
type GenerateResult = Awaited<ReturnType<LanguageModelV4["doGenerate"]>>;
type StreamResult = Awaited<ReturnType<LanguageModelV4["doStream"]>>;
type StreamPart = StreamResult["stream"] extends ReadableStream<infer P> ? P : never;

export type ResilienceOptions = {
  /** Retries after the first try, for rate limits, server errors, timeouts and dropped connections. */
  maxRetries?: number;
  /** First retry delay when the provider sends no `retry-after`; doubles each time. */
  retryBaseDelayMs?: number;
  /** A `retry-after` longer than this is not waited for: the call fails with the reason. */
  maxRetryDelayMs?: number;
  /** Streaming: the first token (and each next chunk) must come within this time. */
  firstTokenTimeoutMs?: number;
  /** Non-streaming (plans, verdicts): the whole answer must come within this time. */
  requestTimeoutMs?: number;
};

export const DEFAULT_RESILIENCE: Required<ResilienceOptions> = {
  maxRetries: 3,
  retryBaseDelayMs: 1_000,
  maxRetryDelayMs: 60_000,
  // Local models on a CPU can take minutes to read a long prompt before the first token.
  firstTokenTimeoutMs: 180_000,
  requestTimeoutMs: 300_000,
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Races a promise against a timeout that also aborts the request it belongs to. */
async function within<T>(
  promise: PromiseLike<T>,
  ms: number,
  phase: ModelTimeoutError["phase"],
  controller: AbortController,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ModelTimeoutError(phase, ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The provider's requested wait in ms (`retry-after-ms`, `retry-after` in seconds or as a date). */
export function retryAfterMs(error: unknown): number | undefined {
  if (!APICallError.isInstance(error)) return undefined;
  const headers = error.responseHeaders ?? {};
  const ms = Number.parseFloat(headers["retry-after-ms"] ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers["retry-after"];
  if (!value) return undefined;
  const secs = Number.parseFloat(value);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ModelTimeoutError || error instanceof StreamCutError) return true;
  if (APICallError.isInstance(error)) return error.isRetryable;
  return false;
}

/** A server that refuses `response_format` (no JSON mode) is asked again with the schema in the prompt. */
function refusesJsonMode(error: unknown): boolean {
  return (
    APICallError.isInstance(error) &&
    error.statusCode === 400 &&
    /response_format|json_schema|json mode|structured output/i.test(
      `${error.responseBody ?? ""} ${error.message}`,
    )
  );
}

function withoutJsonMode(params: CallOptions): CallOptions {
  const format = params.responseFormat;
  const schema = format?.type === "json" && format.schema ? JSON.stringify(format.schema) : null;
  const instruction = schema
    ? `Answer with one JSON object that matches this JSON schema, and nothing else (no prose, no code fence):\n${schema}`
    : "Answer with one JSON object and nothing else (no prose, no code fence).";
  return {
    ...params,
    responseFormat: { type: "text" },
    prompt: [...params.prompt, { role: "user", content: [{ type: "text", text: instruction }] }],
  };
}

/** Models without a strict JSON mode wrap JSON in fences or prose; the JSON alone is passed on. */
function cleanJsonAnswer(result: GenerateResult): GenerateResult {
  return {
    ...result,
    content: result.content.map((part) => {
      if (part.type !== "text") return part;
      const found = extractJson(part.text);
      return found.ok ? { ...part, text: found.text } : part;
    }),
  };
}

function finalError(error: unknown, retries: number): ModelCallError {
  if (error instanceof ModelCallError) return error;
  return new ModelCallError(describeModelError(error, { retries }), {
    cause: error,
    retries,
    statusCode: APICallError.isInstance(error) ? error.statusCode : undefined,
  });
}

const CONTENT = new Set([
  "text-delta",
  "reasoning-delta",
  "tool-input-start",
  "tool-input-delta",
  "tool-call",
  "finish",
]);

/**
 * Wraps a provider's model so every call is bounded and every failure readable: retries with
 * backoff that honour `retry-after`, a timeout for the first token and between chunks (streams)
 * or for the whole answer, a fallback for servers without JSON mode, JSON pulled out of fenced or
 * prose answers, and one `ModelCallError` with a user-readable message when it gives up. A stream
 * is retried only before its first token, so nothing already shown is repeated.
 */
export function withResilience(
  model: Parameters<typeof wrapLanguageModel>[0]["model"],
  options: ResilienceOptions = {},
): LanguageModelV4 {
  const o = { ...DEFAULT_RESILIENCE, ...options };

  async function attempt<T>(
    params: CallOptions,
    call: (params: CallOptions, controller: AbortController) => Promise<T>,
  ): Promise<T> {
    let current = params;
    let jsonFallback = false;
    for (let retries = 0; ; retries++) {
      const controller = new AbortController();
      const signals = [controller.signal, ...(params.abortSignal ? [params.abortSignal] : [])];
      try {
        return await call({ ...current, abortSignal: AbortSignal.any(signals) }, controller);
      } catch (error) {
        // Cancelled by the caller (the run was cancelled): not a provider failure.
        if (params.abortSignal?.aborted) throw error;
        if (!jsonFallback && current.responseFormat?.type === "json" && refusesJsonMode(error)) {
          jsonFallback = true;
          current = withoutJsonMode(current);
          retries--;
          continue;
        }
        const wait = retryAfterMs(error) ?? o.retryBaseDelayMs * 2 ** retries;
        if (!isRetryable(error) || retries >= o.maxRetries || wait > o.maxRetryDelayMs) {
          throw finalError(error, retries);
        }
        await sleep(wait, params.abortSignal);
      }
    }
  }

  const middleware: LanguageModelMiddleware = {
    specificationVersion: "v4",
    wrapGenerate: ({ params, model: inner }) =>
      attempt(params, async (p, controller) => {
        const result = await within(inner.doGenerate(p), o.requestTimeoutMs, "response", controller);
        return p.responseFormat?.type === "json" || params.responseFormat?.type === "json"
          ? cleanJsonAnswer(result)
          : result;
      }),
    wrapStream: ({ params, model: inner }) =>
      attempt(params, async (p, controller) => {
        const timeout = o.firstTokenTimeoutMs;
        const result = await within(inner.doStream(p), timeout, "first-token", controller);
        const reader = result.stream.getReader();
        const buffered: StreamPart[] = [];
        // Up to the first token: any failure here is retried, since nothing has been passed on yet.
        for (;;) {
          let next: ReadableStreamReadResult<StreamPart>;
          try {
            next = await within(reader.read(), timeout, "first-token", controller);
          } catch (error) {
            void reader.cancel().catch(() => {});
            throw error instanceof ModelTimeoutError ? error : new StreamCutError(error);
          }
          if (next.done) break;
          if (next.value.type === "error") {
            void reader.cancel().catch(() => {});
            const error = next.value.error;
            throw APICallError.isInstance(error) ? error : new StreamCutError(error);
          }
          buffered.push(next.value);
          if (CONTENT.has(next.value.type)) break;
        }
        const stream = new ReadableStream<StreamPart>({
          async pull(out) {
            const part = buffered.shift();
            if (part) return out.enqueue(part);
            try {
              const next = await within(reader.read(), timeout, "next-chunk", controller);
              if (next.done) return out.close();
              if (next.value.type === "error") {
                out.enqueue({ type: "error", error: finalError(next.value.error, 0) });
              } else {
                out.enqueue(next.value);
              }
            } catch (error) {
              if (params.abortSignal?.aborted) return out.error(error);
              const cause = error instanceof ModelTimeoutError ? error : new StreamCutError(error);
              out.enqueue({ type: "error", error: finalError(cause, 0) });
              out.close();
            }
          },
          async cancel(reason) {
            controller.abort(reason);
            await reader.cancel(reason).catch(() => {});
          },
        });
        return { ...result, stream };
      }),
  };
  return wrapLanguageModel({ model, middleware });
}

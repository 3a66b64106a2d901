import type { LanguageModel } from "ai";
import { estimateTokens } from "@/lib/runs/context";
import { hashString } from "./demo/random";
import type { ToolOutput } from "./demo/repo-steps";
import { type ScriptPart, scriptFor } from "./demo/script";
import { DEMO_MODEL_ID } from "./demo-label";

export { DEMO_MODEL_ID, DEMO_MODEL_LABEL, isDemoModel } from "./demo-label";

/**
 * The scripted demo model: a LanguageModelV4 that drives the agents when no provider is
 * configured, so the whole pipeline works offline. It follows each agent's output contract (plans,
 * documents with their sections, code files, verdicts), streams at a readable pace and reports
 * usage. Its output is not AI and must be labelled as such wherever a user sees it.
 */
export const DEMO_PROVIDER = "dafnckmachine.demo";

// `ai` re-exports the model union but not the V4 types by name (the top-level @ai-sdk/provider
// here is the v3 package the provider packages use), so they are derived from it.
type LanguageModelV4 = Extract<LanguageModel, { specificationVersion: "v4" }>;
type CallOptions = Parameters<LanguageModelV4["doGenerate"]>[0];
type GenerateResult = Awaited<ReturnType<LanguageModelV4["doGenerate"]>>;
type StreamResult = Awaited<ReturnType<LanguageModelV4["doStream"]>>;
type StreamPart = StreamResult["stream"] extends ReadableStream<infer P> ? P : never;
type Usage = GenerateResult["usage"];

export type DemoModelOptions = {
  /** Same seed, same prompt: same output. */
  seed?: number;
  /** Pause between streamed chunks; 0 in tests. */
  chunkDelayMs?: number;
  /** Share of first review attempts the scripted reviewer fails, to exercise the rework loop (0 to 1). */
  reviewFailureRate?: number;
};

export const DEFAULT_DEMO_CHUNK_DELAY_MS = 30;

function promptText(options: CallOptions, roles: readonly string[]): string {
  const texts: string[] = [];
  for (const message of options.prompt) {
    if (!roles.includes(message.role)) continue;
    if (typeof message.content === "string") texts.push(message.content);
    else for (const part of message.content) if (part.type === "text") texts.push(part.text);
  }
  return texts.join("\n\n");
}

function toolResultNames(options: CallOptions): string[] {
  return options.prompt.flatMap((message) =>
    message.role === "tool"
      ? message.content.flatMap((part) => (part.type === "tool-result" ? [part.toolName] : []))
      : [],
  );
}

/** The tools' answers in the conversation, so scripted steps can follow what the tools said. */
function toolOutputsOf(options: CallOptions): ToolOutput[] {
  return options.prompt.flatMap((message) =>
    message.role === "tool"
      ? message.content.flatMap((part) => {
          if (part.type !== "tool-result") return [];
          const out = part.output;
          const output =
            out.type === "json" || out.type === "text"
              ? out.value
              : out.type === "error-text" || out.type === "error-json"
                ? { error: out.value }
                : null;
          return [{ toolName: part.toolName, output }];
        })
      : [],
  );
}

function usageOf(options: CallOptions, parts: ScriptPart[]): Usage {
  const input = estimateTokens(
    [
      promptText(options, ["system", "user", "assistant"]),
      ...options.prompt.flatMap((m) =>
        m.role === "tool"
          ? m.content.map((p) => (p.type === "tool-result" ? JSON.stringify(p.output) : ""))
          : [],
      ),
    ].join("\n"),
  );
  const output = parts.reduce(
    (sum, part) => sum + estimateTokens(part.type === "text" ? part.text : JSON.stringify(part.input)),
    0,
  );
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

/** Word-sized pieces (2-5 words) so streamed text reads naturally; JSON in fixed-size pieces. */
function chunksOf(text: string, json: boolean, seed: number): string[] {
  if (json) {
    const size = 24;
    return Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
      text.slice(i * size, (i + 1) * size),
    );
  }
  const tokens = text.match(/\s*\S+/g) ?? [text];
  const chunks: string[] = [];
  let state = seed;
  for (let i = 0; i < tokens.length; ) {
    state = hashString(String(i), state);
    const n = 2 + (state % 4);
    chunks.push(tokens.slice(i, i + n).join(""));
    i += n;
  }
  const trailing = /\s+$/.exec(text)?.[0];
  if (trailing && chunks.length) chunks[chunks.length - 1] += trailing;
  return chunks;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new DOMException("Aborted", "AbortError"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new DOMException("Aborted", "AbortError"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

class DemoLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = "v4" as const;
  readonly provider = DEMO_PROVIDER;
  readonly modelId = DEMO_MODEL_ID;
  readonly supportedUrls: Record<string, RegExp[]> = {};

  constructor(private readonly options: Required<DemoModelOptions>) {}

  private plan(options: CallOptions) {
    const json = options.responseFormat?.type === "json";
    const parts = scriptFor(
      {
        userText: promptText(options, ["user"]),
        toolNames: (options.tools ?? []).flatMap((t) => (t.type === "function" ? [t.name] : [])),
        toolSchemas: (options.tools ?? []).flatMap((t) =>
          t.type === "function" ? [{ name: t.name, inputSchema: t.inputSchema }] : [],
        ),
        toolResults: toolResultNames(options),
        toolOutputs: toolOutputsOf(options),
        json,
        callSeed: options.seed,
      },
      { seed: this.options.seed, reviewFailureRate: this.options.reviewFailureRate },
    );
    const callId = `demo-${hashString(JSON.stringify(parts), this.options.seed).toString(36)}`;
    return { json, parts, callId, usage: usageOf(options, parts) };
  }

  async doGenerate(options: CallOptions): Promise<GenerateResult> {
    const { parts, callId, usage } = this.plan(options);
    const hasToolCalls = parts.some((p) => p.type === "tool-call");
    return {
      content: parts.map((part, i) =>
        part.type === "text"
          ? { type: "text" as const, text: part.text }
          : {
              type: "tool-call" as const,
              toolCallId: `${callId}-${i}`,
              toolName: part.toolName,
              input: JSON.stringify(part.input),
            },
      ),
      finishReason: {
        unified: hasToolCalls ? "tool-calls" : "stop",
        raw: hasToolCalls ? "tool_calls" : "stop",
      },
      usage,
      response: { id: callId, modelId: DEMO_MODEL_ID },
      warnings: [],
    };
  }

  async doStream(options: CallOptions): Promise<StreamResult> {
    const { json, parts, callId, usage } = this.plan(options);
    const delay = this.options.chunkDelayMs;
    const signal = options.abortSignal;
    const seed = this.options.seed;

    async function* events(): AsyncGenerator<StreamPart> {
      yield { type: "stream-start", warnings: [] };
      yield { type: "response-metadata", id: callId, modelId: DEMO_MODEL_ID };
      for (const [i, part] of parts.entries()) {
        const id = `${callId}-${i}`;
        if (part.type === "text") {
          yield { type: "text-start", id };
          for (const delta of chunksOf(part.text, json, seed + i)) {
            if (delay > 0) await sleep(delay, signal);
            yield { type: "text-delta", id, delta };
          }
          yield { type: "text-end", id };
        } else {
          const input = JSON.stringify(part.input);
          yield { type: "tool-input-start", id, toolName: part.toolName };
          for (const delta of chunksOf(input, true, seed + i)) {
            if (delay > 0) await sleep(delay, signal);
            yield { type: "tool-input-delta", id, delta };
          }
          yield { type: "tool-input-end", id };
          yield { type: "tool-call", toolCallId: id, toolName: part.toolName, input };
        }
      }
      const hasToolCalls = parts.some((p) => p.type === "tool-call");
      yield {
        type: "finish",
        usage,
        finishReason: {
          unified: hasToolCalls ? "tool-calls" : "stop",
          raw: hasToolCalls ? "tool_calls" : "stop",
        },
      };
    }

    const iterator = events();
    return {
      stream: new ReadableStream<StreamPart>({
        async pull(controller) {
          try {
            const { value, done } = await iterator.next();
            if (done) controller.close();
            else controller.enqueue(value);
          } catch (error) {
            controller.error(error);
          }
        },
        async cancel() {
          await iterator.return(undefined);
        },
      }),
    };
  }
}

/** A fresh demo model. Use `chunkDelayMs: 0` in tests. */
export function createDemoModel(options: DemoModelOptions = {}): LanguageModelV4 {
  const rate = options.reviewFailureRate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new Error("reviewFailureRate must be between 0 and 1.");
  return new DemoLanguageModel({
    seed: options.seed ?? 1,
    chunkDelayMs: Math.max(0, options.chunkDelayMs ?? DEFAULT_DEMO_CHUNK_DELAY_MS),
    reviewFailureRate: rate,
  });
}

/** Whether a model (or a recorded model id) is the scripted demo, so the UI can label its output. */

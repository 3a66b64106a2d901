import { generateText, type ModelMessage, Output, streamText, type ToolSet } from "ai";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { runs } from "@/db/schema";
import type { ResolvedModel } from "@/lib/ai/providers";
import { appendRunEvents } from "@/lib/runs/event-log";
import type { RunEvent } from "@/lib/runs/events";
import { draftContent } from "./draft-text";
import { derivedId, onceIn, type StepKey } from "./once";
import { inTenant } from "./state";
import { BudgetExhaustedError, RunCancelledError, type RunScope } from "./types";
import { assertCanCallModel, type ModelCallRecord, recordModelCall } from "./usage";

/** Streamed text is stored in batches: at most every FLUSH_MS or FLUSH_CHARS, not a row per token. */
const FLUSH_MS = 100;
const FLUSH_CHARS = 200;
/** Tools whose input carries a document (`content`), streamed to the feed while the model writes it. */
const DRAFTING_TOOLS = new Set(["write_artifact", "revise_artifact"]);
/** Tool results in the event log are for people watching; long contents are cut. */
const MAX_EVENT_OUTPUT_CHARS = 2_000;

/** `key` names the step making the call; model-call rows derive their ids from it. */
type CallTarget = {
  scope: RunScope;
  taskId: string | null;
  agentSlug: string;
  model: ResolvedModel;
  key: StepKey;
};

function trimForEvent(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  if (text.length <= MAX_EVENT_OUTPUT_CHARS) return value;
  return { preview: `${text.slice(0, MAX_EVENT_OUTPUT_CHARS)}…`, truncated: true };
}

/**
 * Writes events in order, one transaction per batch, and reports whether the run was cancelled
 * meanwhile (checked in the same transaction) so the caller can stop the model. Each batch is
 * written once per step (`<key>:log-<n>`): a call step run again does not repeat its feed.
 */
function eventWriter(scope: RunScope, key: StepKey, onCancelled: () => void) {
  let chain: Promise<void> = Promise.resolve();
  let batch = 0;
  return (events: RunEvent[]) => {
    const n = batch++;
    chain = chain.then(() =>
      inTenant(scope, async (tx) => {
        const [run] = await tx
          .select({ status: runs.status })
          .from(runs)
          .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
        if (!run || run.status === "cancelled") {
          onCancelled();
          return;
        }
        if (!events.length) return;
        await onceIn(tx, scope, `${key}:log-${n}`, async () => {
          await appendRunEvents(tx, scope, events);
          return null;
        });
      }),
    );
    return chain;
  };
}

export type ModelCallOutput = {
  text: string;
  /** The assistant message and its tool results, to append to the conversation. */
  messages: ModelMessage[];
  /** The model asked for tools, so the turn goes on with another call. */
  wantsMore: boolean;
};

/**
 * One model call of an agent's turn, streamed into the run's event log: text deltas in batches,
 * each tool call and result (the tools run inside the call, their writes idempotent by step), and
 * its usage. The budget is checked first; a cancelled run or `timeoutMs` aborts the stream.
 */
export async function streamModelCall(
  target: CallTarget,
  prompt: { instructions: string; messages: ModelMessage[] },
  tools: ToolSet,
  timeoutMs: number,
): Promise<ModelCallOutput> {
  const { scope, taskId, agentSlug, model, key } = target;
  await assertCanCallModel(scope);
  const controller = new AbortController();
  let cancelled = false;
  const write = eventWriter(scope, key, () => {
    cancelled = true;
    controller.abort();
  });
  const timer = setTimeout(
    () => controller.abort(new DOMException("model call timed out", "TimeoutError")),
    timeoutMs,
  );

  let buffer = "";
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (!buffer) return Promise.resolve();
    const delta = buffer;
    buffer = "";
    return write([{ type: "agent.delta", taskId, agentSlug, delta }]);
  };

  const startedAt = Date.now();
  const result = streamText({
    model: model.model,
    instructions: prompt.instructions,
    messages: prompt.messages,
    tools,
    abortSignal: controller.signal,
    maxRetries: 2,
  });

  let text = "";
  let failure: unknown = null;
  let usage: ModelCallRecord | null = null;
  let toolCalls = 0;
  // Documents streamed inside write/revise tool calls, shown in the feed as they are written.
  const drafts = new Map<string, { json: string; shown: number }>();
  const queue = (delta: string) => {
    buffer += delta;
    if (buffer.length >= FLUSH_CHARS) void flush();
    else flushTimer ??= setTimeout(() => void flush(), FLUSH_MS);
  };
  try {
    for await (const part of result.fullStream) {
      switch (part.type) {
        case "text-delta":
          text += part.text;
          queue(part.text);
          break;
        case "tool-input-start":
          if (DRAFTING_TOOLS.has(part.toolName)) {
            drafts.set(part.id, { json: "", shown: 0 });
            queue("\n\n");
          }
          break;
        case "tool-input-delta": {
          const draft = drafts.get(part.id);
          if (!draft) break;
          draft.json += part.delta;
          const content = draftContent(draft.json);
          if (content.length > draft.shown) {
            queue(content.slice(draft.shown));
            draft.shown = content.length;
          }
          break;
        }
        case "tool-call":
          toolCalls++;
          await flush();
          void write([
            {
              type: "agent.tool-call",
              taskId,
              agentSlug,
              toolCallId: part.toolCallId,
              toolName: part.toolName,
              input: trimForEvent(part.input),
            },
          ]);
          break;
        case "tool-result":
        case "tool-error":
          void write([
            {
              type: "agent.tool-result",
              taskId,
              agentSlug,
              toolCallId: part.toolCallId,
              toolName: part.toolName,
              output: trimForEvent(part.type === "tool-result" ? part.output : { error: String(part.error) }),
            },
          ]);
          break;
        case "finish-step":
          await flush();
          usage = {
            taskId,
            agentSlug,
            provider: model.provider,
            modelId: model.modelId,
            inputTokens: part.usage.inputTokens ?? 0,
            outputTokens: part.usage.outputTokens ?? 0,
            latencyMs: Date.now() - startedAt,
          };
          break;
        case "error":
          failure = part.error;
          break;
        case "abort":
          failure ??= controller.signal.reason;
          break;
        default:
          break;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  await flush();
  await write([]);
  if (cancelled) throw new RunCancelledError();
  if (failure) throw unwrap(failure);
  if (controller.signal.aborted) throw controller.signal.reason;
  // Recorded only for a call that finished: a cut stream reports no real usage, and its retry
  // (the same step, so the same id) must record the tokens that answer actually used.
  if (usage) await recordModelCall(scope, derivedId(scope.runId, key, "call"), usage);
  const response = await result.response;
  return { text, messages: response.messages as ModelMessage[], wantsMore: toolCalls > 0 };
}

/** prepareStep errors reach the stream wrapped; the budget and cancel errors must stay recognisable. */
function unwrap(error: unknown): unknown {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof BudgetExhaustedError || current instanceof RunCancelledError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return error;
}

/** A structured-output call (plan, verdict): budget checked first, usage recorded after. */
export async function generateStructured<S extends z.ZodType>(
  target: CallTarget,
  prompt: { instructions: string; messages: ModelMessage[] },
  schema: S,
): Promise<unknown> {
  await assertCanCallModel(target.scope);
  const started = Date.now();
  // The tokens were spent whether or not the answer parses: record them either way, once.
  const record = (usage: { inputTokens?: number; outputTokens?: number }) =>
    recordModelCall(target.scope, derivedId(target.scope.runId, target.key, "structured"), {
      taskId: target.taskId,
      agentSlug: target.agentSlug,
      provider: target.model.provider,
      modelId: target.model.modelId,
      inputTokens: usage.inputTokens ?? 0,
      outputTokens: usage.outputTokens ?? 0,
      latencyMs: Date.now() - started,
    });
  try {
    const result = await generateText({
      model: target.model.model,
      instructions: prompt.instructions,
      messages: prompt.messages,
      output: Output.object({ schema }),
      maxRetries: 2,
    });
    await record(result.usage);
    return result.output;
  } catch (error) {
    // Output that does not match the schema is returned raw so validation can explain it to the model.
    const { text, usage } = error as {
      text?: unknown;
      usage?: { inputTokens?: number; outputTokens?: number };
    };
    if (typeof text === "string") {
      if (usage) await record(usage);
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    throw error;
  }
}

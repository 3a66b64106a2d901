import { generateText, type ModelMessage, Output, stepCountIs, streamText, type ToolSet } from "ai";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { runs } from "@/db/schema";
import type { ResolvedModel } from "@/lib/ai/providers";
import { appendRunEvents } from "@/lib/runs/event-log";
import type { RunEvent } from "@/lib/runs/events";
import { derivedId, type StepKey } from "./once";
import { inTenant } from "./state";
import { BudgetExhaustedError, MAX_AGENT_STEPS, RunCancelledError, type RunScope } from "./types";
import { assertCanCallModel, recordModelCall } from "./usage";

/** Streamed text is stored in batches: at most every FLUSH_MS or FLUSH_CHARS, not a row per token. */
const FLUSH_MS = 100;
const FLUSH_CHARS = 200;
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
 * meanwhile (checked in the same transaction) so the caller can stop the model.
 */
function eventWriter(scope: RunScope, onCancelled: () => void) {
  let chain: Promise<void> = Promise.resolve();
  return (events: RunEvent[]) => {
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
        await appendRunEvents(tx, scope, events);
      }),
    );
    return chain;
  };
}

/**
 * One agent turn with tools, streamed into the run's event log: text deltas in batches, each tool
 * call and result, and usage per model call. The budget is checked before every model call
 * (each step of the tool loop); a cancelled run aborts the stream.
 */
export async function streamAgent(
  target: CallTarget,
  prompt: { instructions: string; messages: ModelMessage[] },
  tools: ToolSet,
): Promise<{ text: string }> {
  const { scope, taskId, agentSlug, model } = target;
  const controller = new AbortController();
  let cancelled = false;
  const write = eventWriter(scope, () => {
    cancelled = true;
    controller.abort();
  });

  let buffer = "";
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!buffer) return Promise.resolve();
    const delta = buffer;
    buffer = "";
    return write([{ type: "agent.delta", taskId, agentSlug, delta }]);
  };

  let stepStartedAt = Date.now();
  let call = 0;
  const result = streamText({
    model: model.model,
    instructions: prompt.instructions,
    messages: prompt.messages,
    tools,
    stopWhen: stepCountIs(MAX_AGENT_STEPS),
    abortSignal: controller.signal,
    maxRetries: 2,
    prepareStep: async () => {
      await assertCanCallModel(scope);
      stepStartedAt = Date.now();
      return undefined;
    },
  });

  let text = "";
  let failure: unknown = null;
  for await (const part of result.fullStream) {
    switch (part.type) {
      case "text-delta":
        text += part.text;
        buffer += part.text;
        if (buffer.length >= FLUSH_CHARS) void flush();
        else timer ??= setTimeout(() => void flush(), FLUSH_MS);
        break;
      case "tool-call":
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
        await recordModelCall(scope, derivedId(scope.runId, target.key, "call", call++), {
          taskId,
          agentSlug,
          provider: model.provider,
          modelId: model.modelId,
          inputTokens: part.usage.inputTokens ?? 0,
          outputTokens: part.usage.outputTokens ?? 0,
          latencyMs: Date.now() - stepStartedAt,
        });
        break;
      case "error":
        failure = part.error;
        break;
      default:
        break;
    }
  }
  await flush();
  await write([]);
  if (cancelled || controller.signal.aborted) throw new RunCancelledError();
  if (failure) throw unwrap(failure);
  return { text };
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
  try {
    const result = await generateText({
      model: target.model.model,
      instructions: prompt.instructions,
      messages: prompt.messages,
      output: Output.object({ schema }),
      maxRetries: 2,
    });
    await recordModelCall(target.scope, derivedId(target.scope.runId, target.key, "structured"), {
      taskId: target.taskId,
      agentSlug: target.agentSlug,
      provider: target.model.provider,
      modelId: target.model.modelId,
      inputTokens: result.usage.inputTokens ?? 0,
      outputTokens: result.usage.outputTokens ?? 0,
      latencyMs: Date.now() - started,
    });
    return result.output;
  } catch (error) {
    // Output that does not match the schema is returned raw so validation can explain it to the model.
    const text = (error as { text?: unknown }).text;
    if (typeof text === "string") {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    throw error;
  }
}

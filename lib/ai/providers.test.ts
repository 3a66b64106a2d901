import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generateText, isStepCount, Output, streamText, tool } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { DEMO_MODEL_ID, DEMO_MODEL_LABEL } from "./demo-model";
import { aiEnvShape } from "./env-schema";
import { costOfUsage } from "./pricing";
import {
  describeProvider,
  modelIdFor,
  providerConfigFromEnv,
  providerConfigSchema,
  resolveModel,
} from "./providers";
import type { ResilienceOptions } from "./resilient-model";

describe("providerConfigFromEnv", () => {
  it("falls back to the demo model only when nothing is configured", () => {
    expect(providerConfigFromEnv({})).toEqual({ kind: "demo", chunkDelayMs: undefined });
    expect(providerConfigFromEnv({ DEMO_MODEL_DELAY_MS: 5 })).toEqual({ kind: "demo", chunkDelayMs: 5 });
  });

  it("picks the first provider with credentials", () => {
    const config = providerConfigFromEnv({ ANTHROPIC_API_KEY: "sk-ant", GOOGLE_GENERATIVE_AI_API_KEY: "g" });
    expect(config).toMatchObject({ kind: "anthropic", apiKey: "sk-ant" });
  });

  it("honours AI_PROVIDER, including forcing the demo model", () => {
    const env = {
      OPENAI_API_KEY: "sk",
      OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:11434/v1",
      AI_MODEL_STANDARD: "llama3.1",
    };
    expect(providerConfigFromEnv({ ...env, AI_PROVIDER: "openai-compatible" })).toMatchObject({
      kind: "openai-compatible",
      name: "local",
      baseURL: "http://127.0.0.1:11434/v1",
      models: { standard: "llama3.1" },
    });
    expect(providerConfigFromEnv({ ...env, AI_PROVIDER: "demo" }).kind).toBe("demo");
    expect(() => providerConfigFromEnv({ AI_PROVIDER: "google" })).toThrow(
      "AI_PROVIDER is google but GOOGLE_GENERATIVE_AI_API_KEY is not set.",
    );
  });

  it("rejects an OpenAI-compatible server without any model", () => {
    expect(() => providerConfigFromEnv({ OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:1234/v1" })).toThrow(
      /OpenAI-compatible servers have no default model/,
    );
  });

  it("parses the env fields the lead adds to lib/env.ts", () => {
    const schema = z.object(aiEnvShape);
    expect(
      schema.parse({ AI_PROVIDER: "", DEMO_MODEL_DELAY_MS: "40", OPENAI_API_KEY: " sk " }),
    ).toMatchObject({
      AI_PROVIDER: undefined,
      DEMO_MODEL_DELAY_MS: 40,
      OPENAI_API_KEY: "sk",
    });
    expect(schema.safeParse({ AI_PROVIDER: "cohere" }).success).toBe(false);
    expect(schema.safeParse({ OPENAI_COMPATIBLE_BASE_URL: "localhost" }).success).toBe(false);
  });
});

describe("resolveModel", () => {
  it("uses each provider's tier defaults, or the agent's pinned model", () => {
    const openai = resolveModel({ kind: "openai", apiKey: "sk", models: {} }, "fast");
    expect(openai).toMatchObject({ provider: "openai", modelId: "gpt-5-mini", isDemo: false });
    expect(openai.model.provider).toContain("openai");
    const anthropic = resolveModel(
      { kind: "anthropic", apiKey: "k", models: { deep: "claude-opus-4-1" } },
      "deep",
    );
    expect(anthropic.modelId).toBe("claude-opus-4-1");
    const google = resolveModel({ kind: "google", apiKey: "k", models: {} }, "standard", {
      modelId: "gemini-2.5-pro",
    });
    expect(google.modelId).toBe("gemini-2.5-pro");
    expect(google.model.provider).toContain("google");
  });

  it("lets one local model serve every tier of an OpenAI-compatible server", () => {
    const config = providerConfigSchema.parse({
      kind: "openai-compatible",
      name: "ollama",
      baseURL: "http://127.0.0.1:11434/v1",
      models: { standard: "qwen3:8b" },
    });
    if (config.kind === "demo") throw new Error("unexpected");
    expect(modelIdFor(config, "deep")).toBe("qwen3:8b");
    expect(resolveModel(config, "fast").model.provider).toBe("ollama.chat");
  });

  it("returns the labelled demo model for the demo configuration", () => {
    const resolved = resolveModel({ kind: "demo" }, "deep");
    expect(resolved).toMatchObject({ provider: "demo", modelId: DEMO_MODEL_ID, isDemo: true });
    expect(resolved.model.specificationVersion).toBe("v4");
    expect(describeProvider({ kind: "demo" }).label).toBe(DEMO_MODEL_LABEL);
  });

  it("never describes a provider with its key", () => {
    const description = describeProvider({ kind: "openai", apiKey: "sk-secret", models: {} });
    expect(JSON.stringify(description)).not.toContain("sk-secret");
    expect(description.models).toEqual(["gpt-5-mini", "gpt-5.1", "gpt-5.2"]);
  });

  it("validates organization settings with messages for a form", () => {
    const result = providerConfigSchema.safeParse({
      kind: "openai-compatible",
      name: "My Server",
      baseURL: "nope",
      models: {},
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        "Use a short lowercase name like ollama or vllm.",
        "Give a URL like https://api.example.com/v1",
        "Give at least one model id: OpenAI-compatible servers have no default model.",
      ]),
    );
  });
});

/**
 * A local OpenAI-compatible server (the protocol Ollama, vLLM and LM Studio speak), so the real
 * provider path runs over HTTP: request building, SSE parsing, tool calls and usage.
 */
type Reply = (body: Record<string, unknown>, res: ServerResponse) => void;
const requests: { path: string; headers: IncomingMessage["headers"]; body: Record<string, unknown> }[] = [];
const replies: Reply[] = [];
let server: Server;
let baseURL: string;

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-test",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "qwen3:8b",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

function sse(res: ServerResponse, events: unknown[]) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
  res.end("data: [DONE]\n\n");
}

const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = "";
    for await (const part of req) raw += part;
    const body = JSON.parse(raw || "{}") as Record<string, unknown>;
    requests.push({ path: req.url ?? "", headers: req.headers, body });
    const reply = replies.shift();
    if (!reply) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "no scripted reply" } }));
      return;
    }
    reply(body, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.close();
  await once(server, "close");
});

beforeEach(() => {
  requests.length = 0;
  replies.length = 0;
});

function localModel(resilience?: ResilienceOptions) {
  return resolveModel(
    {
      kind: "openai-compatible",
      name: "ollama",
      baseURL,
      apiKey: "local-key",
      models: { standard: "qwen3:8b" },
    },
    "standard",
    { resilience },
  );
}

describe("OpenAI-compatible provider over HTTP", () => {
  it("streams text and reports usage", async () => {
    replies.push((_body, res) =>
      sse(res, [
        chunk({ role: "assistant", content: "Hello" }),
        chunk({ content: " from" }),
        chunk({ content: " a local server." }),
        chunk({}, "stop"),
        { ...chunk({}), choices: [], usage: usage(21, 7) },
      ]),
    );
    const { model, modelId } = localModel();
    const result = streamText({ model, instructions: "Be brief.", prompt: "Say hello." });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);

    expect(deltas).toEqual(["Hello", " from", " a local server."]);
    expect(await result.text).toBe("Hello from a local server.");
    const total = await result.totalUsage;
    expect(total).toMatchObject({ inputTokens: 21, outputTokens: 7, totalTokens: 28 });
    expect(costOfUsage(modelId, total)).toEqual({ usd: 0, priced: false });

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe("Bearer local-key");
    expect(request?.body).toMatchObject({
      model: "qwen3:8b",
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Say hello." },
      ],
    });
  });

  it("returns structured output from a non-streaming call", async () => {
    const verdict = { verdict: "pass", reasons: [] };
    replies.push((_body, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-json",
          object: "chat.completion",
          created: 1_700_000_000,
          model: "qwen3:8b",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: JSON.stringify(verdict) },
              finish_reason: "stop",
            },
          ],
          usage: usage(40, 9),
        }),
      );
    });
    const result = await generateText({
      model: localModel().model,
      prompt: "Review it.",
      output: Output.object({
        schema: z.object({ verdict: z.enum(["pass", "fail"]), reasons: z.array(z.string()) }),
      }),
    });
    expect(result.output).toEqual(verdict);
    expect(result.usage).toMatchObject({ inputTokens: 40, outputTokens: 9 });
    // The schema travels with the request, so the server can constrain the answer to it.
    expect(requests[0]?.body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { schema: { type: "object", required: expect.arrayContaining(["verdict"]) } },
    });
  });

  it("runs a streamed tool call, sends the result back and finishes", async () => {
    const args = JSON.stringify({ title: "Decision", body: "Use PostgreSQL row-level security." });
    replies.push((_body, res) =>
      sse(res, [
        chunk({
          role: "assistant",
          tool_calls: [
            { index: 0, id: "call_1", type: "function", function: { name: "record_insight", arguments: "" } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, 20) } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(20) } }] }),
        chunk({}, "tool_calls"),
        { ...chunk({}), choices: [], usage: usage(50, 12) },
      ]),
    );
    replies.push((_body, res) =>
      sse(res, [
        chunk({ role: "assistant", content: "Recorded." }),
        chunk({}, "stop"),
        { ...chunk({}), choices: [], usage: usage(70, 3) },
      ]),
    );

    const recorded: unknown[] = [];
    const result = streamText({
      model: localModel().model,
      prompt: "Record the decision.",
      stopWhen: isStepCount(3),
      tools: {
        record_insight: tool({
          description: "Record an insight.",
          inputSchema: z.object({ title: z.string(), body: z.string() }),
          execute: async (input) => {
            recorded.push(input);
            return { id: "ins_1" };
          },
        }),
      },
    });
    expect(await result.text).toBe("Recorded.");
    expect(recorded).toEqual([{ title: "Decision", body: "Use PostgreSQL row-level security." }]);
    expect(await result.totalUsage).toMatchObject({ inputTokens: 120, outputTokens: 15 });

    expect(requests).toHaveLength(2);
    expect(requests[0]?.body.tools).toEqual([
      expect.objectContaining({
        type: "function",
        function: expect.objectContaining({ name: "record_insight" }),
      }),
    ]);
    const followUp = requests[1]?.body.messages as {
      role: string;
      tool_call_id?: string;
      content?: unknown;
    }[];
    expect(followUp.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_1" });
    expect(String(followUp.at(-1)?.content)).toContain("ins_1");
  });

  it("surfaces server errors, after its retries, as a readable reason instead of hanging", async () => {
    for (let i = 0; i < 2; i++) {
      replies.push((_body, res) => {
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "model is loading" } }));
      });
    }
    const { model } = localModel({ maxRetries: 1, retryBaseDelayMs: 10 });
    await expect(generateText({ model, prompt: "Hi", maxRetries: 0 })).rejects.toThrow(
      "The model provider had a server error (503); retried 1 time.",
    );
    expect(requests).toHaveLength(2);
  });
});

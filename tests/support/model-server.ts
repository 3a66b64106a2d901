import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { scriptFor } from "@/lib/ai/demo/script";
import { estimateTokens } from "@/lib/runs/context";

/**
 * A real OpenAI-compatible chat completions server on 127.0.0.1 for tests: streaming (SSE chunks
 * with `choices[0].delta`, tool calls, usage in the last chunk, `[DONE]`) and plain JSON answers,
 * scripted per request, including the faults real providers produce. Runs pointed at it go through
 * the real provider code (HTTP, SSE parsing, retries, timeouts).
 */

type ChatMessage = {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content?: string | { type: string; text?: string }[] | null;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
};

export type ModelRequest = {
  /** 1-based, in arrival order. */
  index: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    model: string;
    messages: ChatMessage[];
    tools?: { type: "function"; function: { name: string } }[];
    response_format?: { type: string };
    stream?: boolean;
  };
  /** What the agent pipeline asked for: plan, task, review or summary (from the prompt). */
  purpose: string;
  /** A short name for assertions, e.g. "plan", "review:architecture-drivers". */
  label: string;
  receivedAt: number;
  /** How the exchange ended: a full 200 answer, an HTTP error, a cut stream, or the client gave up. */
  outcome: "pending" | "answered" | "error" | "cut" | "reset" | "aborted";
};

export type ToolCallReply = { name: string; arguments: string | Record<string, unknown>; id?: string };

export type Reply =
  /** An HTTP error: status, headers and a raw body (a string is sent as is). */
  | { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | {
      text?: string;
      toolCalls?: ToolCallReply[];
      /** Wait before the response headers (a very slow first token). */
      delayMs?: number;
      /** Streaming only: wait after the headers before the first chunk. */
      firstChunkDelayMs?: number;
      /** Streaming only: after this many characters of text, destroy the socket (no finish, no [DONE]); 0 resets it before any token. */
      cutAfterChars?: number;
      usage?: { prompt_tokens: number; completion_tokens: number };
    };

export type Handler = (request: ModelRequest) => Reply | Promise<Reply>;

function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  return (content ?? []).map((p) => p.text ?? "").join("\n");
}

function userText(messages: ChatMessage[]): string {
  return messages
    .filter((m) => m.role === "user")
    .map((m) => textOf(m.content))
    .join("\n\n");
}

function classify(body: ModelRequest["body"]): { purpose: string; label: string } {
  const text = userText(body.messages);
  const purpose = /- Purpose: (\w+)/.exec(text)?.[1] ?? "unknown";
  const task = /- Task: ([\w-]+)/.exec(text)?.[1];
  return {
    purpose,
    label: task && (purpose === "task" || purpose === "review") ? `${purpose}:${task}` : purpose,
  };
}

/**
 * The answer the scripted demo model would give to this request (a valid plan, artifacts through
 * write_artifact, passing verdicts, the summary): the happy path, spoken over HTTP.
 */
export function demoReply(request: ModelRequest, options: { reviewFailureRate?: number } = {}): Reply {
  const { messages, tools, response_format } = request.body;
  const names = new Map<string, string>();
  for (const m of messages) for (const call of m.tool_calls ?? []) names.set(call.id, call.function.name);
  const parts = scriptFor(
    {
      userText: userText(messages),
      toolNames: (tools ?? []).map((t) => t.function.name),
      toolResults: messages.flatMap((m) =>
        m.role === "tool" && m.tool_call_id ? [names.get(m.tool_call_id) ?? ""] : [],
      ),
      json: response_format !== undefined && response_format.type !== "text",
    },
    { seed: 1, reviewFailureRate: options.reviewFailureRate ?? 0 },
  );
  const text = parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
  const toolCalls = parts.flatMap((p) =>
    p.type === "tool-call" ? [{ name: p.toolName, arguments: p.input }] : [],
  );
  return { text, toolCalls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function usageFor(request: ModelRequest, reply: Extract<Reply, { text?: string }>) {
  if (reply.usage)
    return { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens };
  const prompt = estimateTokens(request.body.messages.map((m) => textOf(m.content)).join("\n"));
  const completion = estimateTokens(
    (reply.text ?? "") + (reply.toolCalls ?? []).map((c) => JSON.stringify(c.arguments)).join(""),
  );
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function pieces(text: string, size = 40): string[] {
  return Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
    text.slice(i * size, (i + 1) * size),
  );
}

export type ModelServer = {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  requests: ModelRequest[];
  /** Replaces the script for the requests that follow. */
  handle(handler: Handler): void;
  close(): Promise<void>;
};

export async function startModelServer(initial: Handler = demoReply): Promise<ModelServer> {
  let handler = initial;
  const requests: ModelRequest[] = [];
  let counter = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        let body: ModelRequest["body"];
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          res.writeHead(400, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: "Invalid JSON body" } }));
          return;
        }
        const request: ModelRequest = {
          index: ++counter,
          path: req.url ?? "",
          headers: req.headers,
          body,
          ...classify(body),
          receivedAt: Date.now(),
          outcome: "pending",
        };
        requests.push(request);
        res.on("close", () => {
          if (request.outcome === "pending") request.outcome = res.writableFinished ? "answered" : "aborted";
        });
        try {
          await respond(request, await handler(request), res);
        } catch (error) {
          if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
          res.end(`model server script failed: ${(error as Error).message}`);
        }
      })();
    });
  });
  // Keep-alive sockets would hold `close()` open.
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    handle(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function respond(request: ModelRequest, reply: Reply, res: ServerResponse) {
  if (reply.delayMs) await sleep(reply.delayMs);
  if (res.destroyed) return;
  if ("status" in reply) {
    const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
    request.outcome = "error";
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(body);
    return;
  }
  const id = `chatcmpl-${request.index}`;
  const created = Math.floor(Date.now() / 1000);
  const model = request.body.model;
  const toolCalls = (reply.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call_${request.index}_${i}`,
    type: "function" as const,
    function: {
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  const finishReason = toolCalls.length ? "tool_calls" : "stop";
  const usage = usageFor(request, reply);

  if (!request.body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: reply.text ?? null,
              ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: finishReason,
          },
        ],
        usage,
      }),
    );
    return;
  }

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
  if (reply.firstChunkDelayMs) await sleep(reply.firstChunkDelayMs);
  const send = (choice: Record<string, unknown> | null, extra: Record<string, unknown> = {}) =>
    new Promise<void>((resolve) => {
      if (res.destroyed) return resolve();
      const chunk = {
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: choice ? [choice] : [],
        ...extra,
      };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`, () => resolve());
    });

  await send({ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null });
  let sent = 0;
  for (const piece of pieces(reply.text ?? "")) {
    if (reply.cutAfterChars !== undefined && sent + piece.length > reply.cutAfterChars) {
      await send({
        index: 0,
        delta: { content: piece.slice(0, reply.cutAfterChars - sent) },
        finish_reason: null,
      });
      // The connection drops mid-answer, as when a proxy or the provider resets it.
      await sleep(20);
      request.outcome = reply.cutAfterChars > 0 ? "cut" : "reset";
      res.destroy();
      return;
    }
    await send({ index: 0, delta: { content: piece }, finish_reason: null });
    sent += piece.length;
  }
  for (const [i, call] of toolCalls.entries()) {
    await send({
      index: 0,
      delta: {
        tool_calls: [
          { index: i, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
        ],
      },
      finish_reason: null,
    });
    for (const piece of pieces(call.function.arguments)) {
      await send({
        index: 0,
        delta: { tool_calls: [{ index: i, function: { arguments: piece } }] },
        finish_reason: null,
      });
    }
  }
  await send({ index: 0, delta: {}, finish_reason: finishReason });
  await send(null, { usage });
  res.end("data: [DONE]\n\n");
}

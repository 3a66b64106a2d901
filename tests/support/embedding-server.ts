import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real OpenAI-compatible `/embeddings` server on 127.0.0.1 for tests. Its vectors are a hashed
 * bag of words (each lower-cased word adds ±1 to one of `dims` slots), so texts that share words
 * are close and the same text always gets the same vector. The model id may end in `-<dims>`
 * (`bow-32`); otherwise 64 dimensions. Scriptable per request, for the errors providers return.
 */

export type EmbeddingRequest = {
  index: number;
  path: string;
  model: string;
  input: string[];
  authorization?: string;
};
export type EmbeddingReply =
  | { status: number; body?: unknown }
  | { vectors: (input: string[], model: string) => number[][] }
  | "default";
export type EmbeddingHandler = (request: EmbeddingRequest) => EmbeddingReply;

export function dimsOf(model: string): number {
  const m = /-(\d+)$/.exec(model);
  return m ? Number(m[1]) : 64;
}

/** The server's vector for `text` (not normalized; the app normalizes). */
export function bagOfWords(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  // A small constant slot keeps a text without words from being the zero vector.
  v[0] = 0.01;
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const h = createHash("sha256").update(word).digest();
    const slot = h.readUInt32BE(0) % dims;
    v[slot] = (v[slot] ?? 0) + ((h[4] ?? 0) % 2 === 0 ? 1 : -1);
  }
  return v;
}

export type EmbeddingServer = {
  baseURL: string;
  requests: EmbeddingRequest[];
  handle(handler: EmbeddingHandler): void;
  close(): Promise<void>;
};

export async function startEmbeddingServer(
  initial: EmbeddingHandler = () => "default",
): Promise<EmbeddingServer> {
  let handler = initial;
  const requests: EmbeddingRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      let body: { model?: string; input?: string | string[] };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, { error: { message: "Invalid JSON body" } });
      }
      if (!req.url?.endsWith("/embeddings")) return send(404, { error: { message: "Not found" } });
      const model = String(body.model ?? "");
      const input = Array.isArray(body.input) ? body.input : [String(body.input ?? "")];
      const request: EmbeddingRequest = {
        index: requests.length + 1,
        path: req.url,
        model,
        input,
        authorization: req.headers.authorization,
      };
      requests.push(request);
      const reply = handler(request);
      if (reply !== "default" && "status" in reply) return send(reply.status, reply.body ?? {});
      const vectors =
        reply === "default"
          ? input.map((text) => bagOfWords(text, dimsOf(model)))
          : reply.vectors(input, model);
      send(200, {
        object: "list",
        model,
        data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
        usage: { prompt_tokens: input.length, total_tokens: input.length },
      });
    });
  });
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

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { EmbeddingStatusView } from "./embedding-status";

const render = (status: Parameters<typeof EmbeddingStatusView>[0]["status"]) =>
  renderToStaticMarkup(createElement(EmbeddingStatusView, { status })).replace(/<[^>]+>/g, "");

describe("the embedding status on the AI settings page", () => {
  it("says how many passages are embedded with which model, and the last error", () => {
    const text = render({
      modelId: "openai:text-embedding-3-small",
      total: 1310,
      embedded: 1204,
      lastError: {
        reason: "The embedding model provider refused the API key (401).",
        at: "2026-12-06T20:00:00.000Z",
      },
    });
    expect(text).toContain(
      "Embeddings: 1,204 of 1,310 passages embedded with openai:text-embedding-3-small.",
    );
    expect(text).toContain("Embedding stopped: The embedding model provider refused the API key (401).");
  });

  it("says search is full text only without a model", () => {
    expect(render({ modelId: null, total: 3, embedded: 0, lastError: null })).toMatch(
      /No embedding model: knowledge search uses full text and trigram similarity only/,
    );
  });
});

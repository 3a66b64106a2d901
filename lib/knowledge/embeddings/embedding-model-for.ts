import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { EmbeddingModel } from "ai";
import type { ProviderConfig } from "@/lib/ai/providers";

type ProviderOptions = Record<string, Record<string, string | number>>;

/** An embedding model and the id its vectors are stored under (`<provider kind>:<model id>`). */
export type ResolvedEmbeddingModel = {
  id: string;
  model: Exclude<EmbeddingModel, string>;
  /** Provider options for embedding stored passages and for embedding a search query. */
  options: { document?: ProviderOptions; query?: ProviderOptions };
};

/** Defaults where the provider has one; OpenAI-compatible servers embed only when a model is named. */
export const DEFAULT_EMBEDDING_MODELS = {
  openai: "text-embedding-3-small",
  google: "gemini-embedding-001",
} as const;

/**
 * Gemini embeddings are 3072-dimensional by default; 768 keeps them under pgvector's 2,000-dimension
 * HNSW limit and a quarter of the storage, with little loss (the model is trained for truncation).
 */
const GOOGLE_DIMENSIONS = 768;

/** Written in the setting to turn embeddings off for a provider that has a default. */
export const EMBEDDINGS_OFF = "none";

/**
 * The embedding model a provider configuration offers, or null: Anthropic and the demo model have
 * none, an OpenAI-compatible server needs `embeddingModel`, and `none` turns them off. `fetch` is
 * the organization's guarded fetch when the base URL is tenant input.
 */
export function embeddingModelFor(
  config: ProviderConfig,
  fetch?: typeof globalThis.fetch,
): ResolvedEmbeddingModel | null {
  if (config.kind === "demo" || config.kind === "anthropic") return null;
  const configured = config.embeddingModel?.trim();
  if (configured === EMBEDDINGS_OFF) return null;
  switch (config.kind) {
    case "openai": {
      const id = configured || DEFAULT_EMBEDDING_MODELS.openai;
      return {
        id: `openai:${id}`,
        model: createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL, fetch }).embedding(id),
        options: {},
      };
    }
    case "google": {
      const id = configured || DEFAULT_EMBEDDING_MODELS.google;
      const google = (taskType: string) => ({
        google: { outputDimensionality: GOOGLE_DIMENSIONS, taskType },
      });
      return {
        id: `google:${id}`,
        model: createGoogleGenerativeAI({ apiKey: config.apiKey, baseURL: config.baseURL, fetch }).embedding(
          id,
        ),
        options: { document: google("RETRIEVAL_DOCUMENT"), query: google("RETRIEVAL_QUERY") },
      };
    }
    case "openai-compatible": {
      if (!configured) return null;
      return {
        id: `openai-compatible:${configured}`,
        model: createOpenAICompatible({
          name: config.name,
          baseURL: config.baseURL,
          apiKey: config.apiKey,
          fetch,
        }).embeddingModel(configured),
        options: {},
      };
    }
  }
}

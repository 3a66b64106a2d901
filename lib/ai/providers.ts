import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { z } from "zod";
import { MODEL_TIERS, type ModelTier } from "@/lib/agents/schema";
import { createDemoModel, DEMO_MODEL_ID, DEMO_MODEL_LABEL, type DemoModelOptions } from "./demo-model";
import type { AiEnv } from "./env-schema";
import { type ResilienceOptions, withResilience } from "./resilient-model";

export const PROVIDER_KINDS = ["openai", "anthropic", "google", "openai-compatible", "demo"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google Gemini",
  "openai-compatible": "OpenAI-compatible server",
  demo: DEMO_MODEL_LABEL,
};

/** Sensible defaults per tier; organizations and the instance env can override each. */
export const DEFAULT_TIER_MODELS = {
  openai: { fast: "gpt-5-mini", standard: "gpt-5.1", deep: "gpt-5.2" },
  anthropic: { fast: "claude-haiku-4-5", standard: "claude-sonnet-4-5", deep: "claude-opus-4-5" },
  google: { fast: "gemini-2.5-flash-lite", standard: "gemini-2.5-flash", deep: "gemini-2.5-pro" },
} as const satisfies Record<string, Record<ModelTier, string>>;

const modelId = z
  .string()
  .trim()
  .min(1, "Give a model id.")
  .max(200, "Keep the model id under 200 characters.");
const tierModels = z
  .object({ fast: modelId.optional(), standard: modelId.optional(), deep: modelId.optional() })
  .default({});
/**
 * The model that embeds knowledge chunks for vector search. Optional: OpenAI and Google have a
 * default, an OpenAI-compatible server embeds only when one is named, Anthropic offers none.
 * `none` turns embeddings off (search is then full text and trigram only).
 */
const embeddingModel = modelId
  .regex(/^[\w.:/@-]+$/, "Use the model id as the provider spells it, e.g. text-embedding-3-small.")
  .optional();
const apiKey = z.string().trim().min(1, "Give the API key.").max(500, "That API key is too long.");
const baseURL = z.url({ message: "Give a URL like https://api.example.com/v1" });

/**
 * Where model calls go. The same shape describes the instance's env configuration and an
 * organization's settings (whose key is stored encrypted and decrypted only to build the model).
 */
export const providerConfigSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("openai"),
    apiKey,
    baseURL: baseURL.optional(),
    models: tierModels,
    embeddingModel,
  }),
  z.object({
    kind: z.literal("anthropic"),
    apiKey,
    baseURL: baseURL.optional(),
    models: tierModels,
    embeddingModel: z
      .undefined({ message: "Anthropic offers no embedding model: leave this blank." })
      .optional(),
  }),
  z.object({
    kind: z.literal("google"),
    apiKey,
    baseURL: baseURL.optional(),
    models: tierModels,
    embeddingModel,
  }),
  z.object({
    kind: z.literal("openai-compatible"),
    name: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use a short lowercase name like ollama or vllm."),
    baseURL,
    apiKey: apiKey.optional(),
    models: tierModels.refine(
      (m) => !!(m.fast || m.standard || m.deep),
      "Give at least one model id: OpenAI-compatible servers have no default model.",
    ),
    embeddingModel,
  }),
  z.object({
    kind: z.literal("demo"),
    seed: z.number().int().optional(),
    chunkDelayMs: z.number().int().min(0).max(10_000).optional(),
  }),
]);

export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export type ResolvedModel = {
  model: Exclude<LanguageModel, string>;
  provider: ProviderKind;
  /** The model id to record with usage and to price. */
  modelId: string;
  isDemo: boolean;
};

/**
 * The model id for a tier: the configured one, else the provider default. For OpenAI-compatible
 * servers any configured tier stands in for missing ones (standard first), since one local model
 * often serves them all.
 */
export function modelIdFor(config: Exclude<ProviderConfig, { kind: "demo" }>, tier: ModelTier): string {
  const configured = config.models[tier];
  if (configured) return configured;
  if (config.kind === "openai-compatible") {
    const fallback = config.models.standard ?? config.models.fast ?? config.models.deep;
    if (!fallback) throw new Error(`No model configured for the "${config.name}" OpenAI-compatible server.`);
    return fallback;
  }
  return DEFAULT_TIER_MODELS[config.kind][tier];
}

/**
 * Builds the AI SDK model for an agent's tier (or its pinned model id). `fetch` is for tests and
 * proxies; `resilience` bounds retries and timeouts (every provider's calls go through it).
 */
export function resolveModel(
  config: ProviderConfig,
  tier: ModelTier,
  options: {
    modelId?: string;
    fetch?: typeof globalThis.fetch;
    demo?: DemoModelOptions;
    resilience?: ResilienceOptions;
  } = {},
): ResolvedModel {
  if (config.kind === "demo") {
    return {
      model: createDemoModel({ seed: config.seed, chunkDelayMs: config.chunkDelayMs, ...options.demo }),
      provider: "demo",
      modelId: DEMO_MODEL_ID,
      isDemo: true,
    };
  }
  const id = options.modelId?.trim() || modelIdFor(config, tier);
  const fetch = options.fetch;
  const resolved = (model: Parameters<typeof withResilience>[0]): ResolvedModel => ({
    model: withResilience(model, options.resilience),
    provider: config.kind,
    modelId: id,
    isDemo: false,
  });
  switch (config.kind) {
    case "openai":
      return resolved(createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL, fetch })(id));
    case "anthropic":
      return resolved(createAnthropic({ apiKey: config.apiKey, baseURL: config.baseURL, fetch })(id));
    case "google":
      return resolved(
        createGoogleGenerativeAI({ apiKey: config.apiKey, baseURL: config.baseURL, fetch })(id),
      );
    case "openai-compatible":
      return resolved(
        createOpenAICompatible({
          name: config.name,
          baseURL: config.baseURL,
          apiKey: config.apiKey,
          // Without it, streamed responses from these servers carry no token counts.
          includeUsage: true,
          // Sends the JSON schema with plans and verdicts (vLLM, Ollama, LM Studio and llama.cpp accept
          // it); a server that refuses it is asked again with the schema in the prompt (resilient-model).
          supportsStructuredOutputs: true,
          fetch,
        }).chatModel(id),
      );
  }
}

/**
 * The instance's provider from its environment: AI_PROVIDER when set, else the first provider
 * with credentials, else the scripted demo model (the default only when nothing is configured).
 */
export function providerConfigFromEnv(env: AiEnv): ProviderConfig {
  const models = { fast: env.AI_MODEL_FAST, standard: env.AI_MODEL_STANDARD, deep: env.AI_MODEL_DEEP };
  const embeddingModel = env.AI_EMBEDDING_MODEL;
  const candidates: Record<Exclude<ProviderKind, "demo">, () => unknown> = {
    openai: () =>
      env.OPENAI_API_KEY && {
        kind: "openai",
        apiKey: env.OPENAI_API_KEY,
        baseURL: env.OPENAI_BASE_URL,
        models,
        embeddingModel,
      },
    anthropic: () =>
      env.ANTHROPIC_API_KEY && {
        kind: "anthropic",
        apiKey: env.ANTHROPIC_API_KEY,
        baseURL: env.ANTHROPIC_BASE_URL,
        models,
        embeddingModel,
      },
    google: () =>
      env.GOOGLE_GENERATIVE_AI_API_KEY && {
        kind: "google",
        apiKey: env.GOOGLE_GENERATIVE_AI_API_KEY,
        models,
        embeddingModel,
      },
    "openai-compatible": () =>
      env.OPENAI_COMPATIBLE_BASE_URL && {
        kind: "openai-compatible",
        name: env.OPENAI_COMPATIBLE_NAME ?? "local",
        baseURL: env.OPENAI_COMPATIBLE_BASE_URL,
        apiKey: env.OPENAI_COMPATIBLE_API_KEY,
        models,
        embeddingModel,
      },
  };
  const demo: ProviderConfig = { kind: "demo", chunkDelayMs: env.DEMO_MODEL_DELAY_MS };

  const parse = (kind: Exclude<ProviderKind, "demo">, value: unknown): ProviderConfig => {
    const parsed = providerConfigSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || kind}: ${i.message}`).join("; ");
    throw new Error(`The ${PROVIDER_LABELS[kind]} configuration in the environment is invalid: ${issues}`);
  };

  if (env.AI_PROVIDER === "demo") return demo;
  if (env.AI_PROVIDER) {
    const value = candidates[env.AI_PROVIDER]();
    if (!value) {
      const needed = {
        openai: "OPENAI_API_KEY",
        anthropic: "ANTHROPIC_API_KEY",
        google: "GOOGLE_GENERATIVE_AI_API_KEY",
        "openai-compatible": "OPENAI_COMPATIBLE_BASE_URL",
      }[env.AI_PROVIDER];
      throw new Error(`AI_PROVIDER is ${env.AI_PROVIDER} but ${needed} is not set.`);
    }
    return parse(env.AI_PROVIDER, value);
  }
  for (const kind of ["openai", "anthropic", "google", "openai-compatible"] as const) {
    const value = candidates[kind]();
    if (value) return parse(kind, value);
  }
  return demo;
}

/** What the UI shows about a provider: never the key. */
export function describeProvider(config: ProviderConfig): {
  kind: ProviderKind;
  label: string;
  models: string[];
} {
  if (config.kind === "demo") return { kind: "demo", label: DEMO_MODEL_LABEL, models: [DEMO_MODEL_ID] };
  return {
    kind: config.kind,
    label:
      config.kind === "openai-compatible"
        ? `${PROVIDER_LABELS[config.kind]} (${config.name})`
        : PROVIDER_LABELS[config.kind],
    models: [...new Set(MODEL_TIERS.map((tier) => modelIdFor(config, tier)))],
  };
}

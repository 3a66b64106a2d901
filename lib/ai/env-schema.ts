import { z } from "zod";

/**
 * The instance-wide model configuration, as zod fields for `lib/env.ts` to spread into its schema
 * (that module stays the only reader of `process.env`). All optional: with none set, the scripted
 * demo model runs.
 */
const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const optionalUrl = (name: string, example: string) =>
  optional.pipe(z.url({ message: `${name} must be a URL like ${example}` }).optional());

export const aiEnvShape = {
  /** Force a provider; otherwise the first with credentials wins (OpenAI, Anthropic, Google, OpenAI-compatible). */
  AI_PROVIDER: optional.pipe(
    z
      .enum(["openai", "anthropic", "google", "openai-compatible", "demo"], {
        message: "AI_PROVIDER must be one of openai, anthropic, google, openai-compatible, demo",
      })
      .optional(),
  ),
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optionalUrl("OPENAI_BASE_URL", "https://api.openai.com/v1"),
  ANTHROPIC_API_KEY: optional,
  ANTHROPIC_BASE_URL: optionalUrl("ANTHROPIC_BASE_URL", "https://api.anthropic.com/v1"),
  GOOGLE_GENERATIVE_AI_API_KEY: optional,
  /** Ollama (http://localhost:11434/v1), vLLM (http://localhost:8000/v1), LM Studio (http://localhost:1234/v1). */
  OPENAI_COMPATIBLE_BASE_URL: optionalUrl("OPENAI_COMPATIBLE_BASE_URL", "http://localhost:11434/v1"),
  OPENAI_COMPATIBLE_API_KEY: optional,
  OPENAI_COMPATIBLE_NAME: optional,
  /** Model ids per tier; each provider has defaults except OpenAI-compatible servers, which need at least one. */
  AI_MODEL_FAST: optional,
  AI_MODEL_STANDARD: optional,
  AI_MODEL_DEEP: optional,
  /**
   * The model that embeds knowledge for vector search (OpenAI default text-embedding-3-small, Google
   * gemini-embedding-001; an OpenAI-compatible server embeds only when set, e.g. nomic-embed-text;
   * `none` turns embeddings off). Not available with Anthropic.
   */
  AI_EMBEDDING_MODEL: optional,
  /** Retries of a failed model call (rate limits, server errors, timeouts, dropped connections); default 3. */
  AI_MAX_RETRIES: optional.pipe(
    z.string().regex(/^\d$/, "AI_MAX_RETRIES must be a number from 0 to 9").transform(Number).optional(),
  ),
  /** How long a streamed answer may wait for its first token, and between chunks (default 180000 ms). */
  AI_FIRST_TOKEN_TIMEOUT_MS: optional.pipe(
    z
      .string()
      .regex(/^\d{3,7}$/, "AI_FIRST_TOKEN_TIMEOUT_MS must be a number of milliseconds, e.g. 180000")
      .transform(Number)
      .optional(),
  ),
  /** How long a plan or review answer may take in all (default 300000 ms). */
  AI_REQUEST_TIMEOUT_MS: optional.pipe(
    z
      .string()
      .regex(/^\d{3,7}$/, "AI_REQUEST_TIMEOUT_MS must be a number of milliseconds, e.g. 300000")
      .transform(Number)
      .optional(),
  ),
  /** Pause between the demo model's streamed chunks (default 30 ms). */
  DEMO_MODEL_DELAY_MS: optional.pipe(
    z
      .string()
      .regex(/^\d{1,4}$/, "DEMO_MODEL_DELAY_MS must be a number of milliseconds, e.g. 30")
      .transform(Number)
      .optional(),
  ),
};

export type AiEnv = { [K in keyof typeof aiEnvShape]?: z.infer<(typeof aiEnvShape)[K]> };

/**
 * Prices in US dollars per million tokens, as listed on the providers' public price pages when
 * this table was written (it could not be re-checked offline: verify before billing anyone on it).
 * Long-context surcharges and batch discounts are not modelled. Unknown models (e.g. local
 * servers) cost nothing and are reported as unpriced.
 */
export type ModelPrice = {
  input: number;
  output: number;
  /** Cached input read; the input price when absent. */
  cachedInput?: number;
  /** Cache write (Anthropic); the input price when absent. */
  cacheWrite?: number;
};

export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  // OpenAI
  "gpt-5.2": { input: 1.75, output: 14, cachedInput: 0.175 },
  "gpt-5.1": { input: 1.25, output: 10, cachedInput: 0.125 },
  "gpt-5": { input: 1.25, output: 10, cachedInput: 0.125 },
  "gpt-5-mini": { input: 0.25, output: 2, cachedInput: 0.025 },
  "gpt-5-nano": { input: 0.05, output: 0.4, cachedInput: 0.005 },
  "gpt-4.1": { input: 2, output: 8, cachedInput: 0.5 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6, cachedInput: 0.1 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4, cachedInput: 0.025 },
  "gpt-4o": { input: 2.5, output: 10, cachedInput: 1.25 },
  "gpt-4o-mini": { input: 0.15, output: 0.6, cachedInput: 0.075 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  "o3-mini": { input: 1.1, output: 4.4, cachedInput: 0.55 },
  "o4-mini": { input: 1.1, output: 4.4, cachedInput: 0.275 },
  // Anthropic
  "claude-opus-4-5": { input: 5, output: 25, cachedInput: 0.5, cacheWrite: 6.25 },
  "claude-opus-4-1": { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
  "claude-opus-4-0": { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
  "claude-opus-4": { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
  "claude-sonnet-4-5": { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  "claude-sonnet-4-0": { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  "claude-sonnet-4": { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  "claude-haiku-4-5": { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 },
  "claude-3-5-haiku": { input: 0.8, output: 4, cachedInput: 0.08, cacheWrite: 1 },
  // Google
  "gemini-2.5-pro": { input: 1.25, output: 10, cachedInput: 0.125 },
  "gemini-2.5-flash": { input: 0.3, output: 2.5, cachedInput: 0.03 },
  "gemini-2.5-flash-lite": { input: 0.1, output: 0.4, cachedInput: 0.01 },
  "gemini-2.0-flash": { input: 0.1, output: 0.4, cachedInput: 0.025 },
  // The scripted demo model is free.
  "demo-scripted": { input: 0, output: 0 },
};

// Dated snapshots and aliases price like their base model: gpt-4o-2024-08-06,
// claude-sonnet-4-5-20250929, claude-3-5-haiku-latest, gemini-2.0-flash-001.
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8}|latest|\d{3})$/;

/** The price of a model id, or undefined when it is not in the table. A `provider/` prefix is ignored. */
export function priceFor(modelId: string, table: Readonly<Record<string, ModelPrice>> = PRICE_TABLE) {
  const id = modelId
    .trim()
    .toLowerCase()
    .replace(/^[a-z0-9-]+\//, "");
  return table[id] ?? table[id.replace(SNAPSHOT_SUFFIX, "")];
}

/** The subset of the AI SDK's `LanguageModelUsage` that pricing needs. */
export type UsageForPricing = {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  inputTokenDetails?: { cacheReadTokens?: number | undefined; cacheWriteTokens?: number | undefined };
};

export type Cost = { usd: number; priced: boolean };

/**
 * The cost of one call. Cached tokens are part of `inputTokens` (the AI SDK's convention) and are
 * charged at their own rate.
 */
export function costOfUsage(
  modelId: string,
  usage: UsageForPricing,
  table: Readonly<Record<string, ModelPrice>> = PRICE_TABLE,
): Cost {
  const price = priceFor(modelId, table);
  if (!price) return { usd: 0, priced: false };
  const input = usage.inputTokens ?? 0;
  const cacheRead = Math.min(usage.inputTokenDetails?.cacheReadTokens ?? 0, input);
  const cacheWrite = Math.min(usage.inputTokenDetails?.cacheWriteTokens ?? 0, input - cacheRead);
  const plain = input - cacheRead - cacheWrite;
  const micro =
    plain * price.input +
    cacheRead * (price.cachedInput ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input) +
    (usage.outputTokens ?? 0) * price.output;
  // Prices are per million tokens; round to a millionth of a dollar to keep sums stable.
  return { usd: Math.round(micro) / 1_000_000, priced: true };
}

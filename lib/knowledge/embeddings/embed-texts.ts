import { APICallError, embedMany, RetryError } from "ai";
import { describeModelError } from "@/lib/ai/model-errors";
import type { ResolvedEmbeddingModel } from "./embedding-model-for";
import { normalizeVector } from "./normalize-vector";

/**
 * A failed embedding call with a reason an admin can read. `permanent`: asking again will not help
 * (the key is refused, the model or URL is unknown, the address is not allowed, the answer is not
 * a usable vector) — the caller stops and records it instead of retrying.
 */
export class EmbeddingError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EmbeddingError";
  }
}

function isPermanent(error: unknown): boolean {
  const last = RetryError.isInstance(error) ? error.lastError : error;
  for (let e = last, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { name?: unknown }).name === "UnreachableUrlError") return true;
  }
  if (APICallError.isInstance(last)) {
    const status = last.statusCode;
    return status !== undefined && status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status);
  }
  return false;
}

/**
 * Embeds `texts` with the model (in the order given) and returns unit-length vectors, all of one
 * dimension. `purpose` picks the provider options for stored passages or a search query.
 */
export async function embedTexts(
  resolved: ResolvedEmbeddingModel,
  texts: string[],
  purpose: "document" | "query",
  options: { maxRetries?: number; abortSignal?: AbortSignal } = {},
): Promise<number[][]> {
  if (texts.length === 0) return [];
  let embeddings: number[][];
  try {
    const result = await embedMany({
      model: resolved.model,
      values: texts,
      providerOptions: resolved.options[purpose],
      maxRetries: options.maxRetries ?? 2,
      abortSignal: options.abortSignal,
    });
    embeddings = result.embeddings;
  } catch (error) {
    const reason = describeModelError(error).replace(/^The model/, "The embedding model");
    throw new EmbeddingError(reason, isPermanent(error), { cause: error });
  }
  if (embeddings.length !== texts.length) {
    throw new EmbeddingError(
      `The embedding model returned ${embeddings.length} vectors for ${texts.length} passages.`,
      true,
    );
  }
  const dims = embeddings[0]?.length ?? 0;
  try {
    return embeddings.map((vector) => {
      if (vector.length !== dims)
        throw new RangeError("The embedding model returned vectors of different lengths.");
      return normalizeVector(vector);
    });
  } catch (error) {
    throw new EmbeddingError(`${(error as Error).message} Check the embedding model id.`, true, {
      cause: error,
    });
  }
}

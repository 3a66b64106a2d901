/** The largest dimension pgvector's `vector` type stores; providers stay well under it. */
export const MAX_DIMENSIONS = 16_000;

/**
 * Scales a vector to unit length, so cosine similarity is a plain dot product (the SQL fallback
 * relies on it). Refuses what cannot be a usable embedding: empty, too long, non-finite, all zero.
 */
export function normalizeVector(vector: readonly number[]): number[] {
  if (vector.length === 0 || vector.length > MAX_DIMENSIONS) {
    throw new RangeError(`An embedding has ${vector.length} dimensions (1 to ${MAX_DIMENSIONS} allowed).`);
  }
  let sum = 0;
  for (const x of vector) {
    if (!Number.isFinite(x)) throw new RangeError("An embedding holds a value that is not a finite number.");
    sum += x * x;
  }
  const norm = Math.sqrt(sum);
  if (norm === 0) throw new RangeError("An embedding is all zeros.");
  return vector.map((x) => x / norm);
}

/** A vector as SQL literal text (`{…}` for real[], `[…]` for pgvector); only finite numbers get here. */
export function vectorLiteral(vector: readonly number[], brackets: "{}" | "[]"): string {
  for (const x of vector) if (!Number.isFinite(x)) throw new RangeError("Not a finite number.");
  return `${brackets[0]}${vector.join(",")}${brackets[1]}`;
}

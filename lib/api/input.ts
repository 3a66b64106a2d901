import { z } from "zod";
import { AppError, validationError } from "@/lib/errors";

export const NUL_MESSAGE = "Must not contain a NUL character (\\u0000).";

/** Paths of every string (or object key) holding U+0000 in a parsed JSON / form / query value. */
export function nulPaths(value: unknown, path: (string | number)[] = [], out: string[] = []): string[] {
  if (typeof value === "string") {
    if (value.includes("\u0000")) out.push(path.length ? path.join(".") : "_");
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      nulPaths(v, [...path, i], out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const at = [...path, k.replaceAll("\u0000", "\\u0000")];
      if (k.includes("\u0000")) out.push(at.join("."));
      nulPaths(v, at, out);
    }
  }
  return out;
}

/**
 * Postgres text cannot hold U+0000 (it answers 22021, a 500), and no field has a use for it:
 * any input carrying one is refused with a 400 naming the field, before any schema runs, so a
 * new schema cannot forget.
 */
export function assertNoNul(value: unknown): void {
  const paths = nulPaths(value);
  if (paths.length === 0) return;
  throw new AppError("bad_request", "Some fields contain a NUL character.", {
    fieldErrors: Object.fromEntries(paths.map((p) => [p, [NUL_MESSAGE]])),
  });
}

/** The same as `schema.safeParse`, with NUL characters refused as a field error at their path. */
export function safeParseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
): z.ZodSafeParseResult<z.infer<S>> {
  const paths = nulPaths(value);
  if (paths.length > 0) {
    const issues = paths.map((p) => ({
      code: "custom" as const,
      message: NUL_MESSAGE,
      path: p === "_" ? [] : p.split("."),
      input: value,
    }));
    return { success: false, error: new z.ZodError(issues) } as z.ZodSafeParseResult<z.infer<S>>;
  }
  return schema.safeParse(value) as z.ZodSafeParseResult<z.infer<S>>;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  assertNoNul(value);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

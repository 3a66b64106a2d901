export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first value of a query parameter (Next gives arrays for repeated keys). */
export function param(
  params: Record<string, string | string[] | undefined>,
  key: string,
): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

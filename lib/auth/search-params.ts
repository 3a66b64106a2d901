export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first value of a query parameter (Next gives arrays for repeated keys). */
export function param(
  params: Record<string, string | string[] | undefined>,
  key: string,
): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

// Browsers strip tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.test` and `/\evil`
// both become `//evil.test`; control characters in a Location header also make Next answer 500.
function hasUnsafeChar(value: string): boolean {
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code <= 0x1f || code === 0x7f || ch === "\\") return true;
  }
  return false;
}

/**
 * Where to send the browser after sign-in: a path on the app's own origin, or `fallback`.
 * An open redirect after sign-in would hand a fresh session's user to a phishing page.
 * Returns path + query + hash as the URL parser normalized them, so the value is safe to put in a
 * Location header and cannot be read as protocol-relative (`//host`).
 */
export function safeCallbackUrl(raw: unknown, appOrigin: string, fallback = "/orgs"): string {
  if (typeof raw !== "string" || raw === "" || hasUnsafeChar(raw)) return fallback;
  let url: URL;
  let origin: string;
  try {
    origin = new URL(appOrigin).origin;
    url = new URL(raw, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  const target = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.test` normalizes to the path `//evil.test`, which a browser reads as a host.
  return target.startsWith("//") ? fallback : target;
}

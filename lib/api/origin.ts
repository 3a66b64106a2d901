import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const CROSS_SITE_MESSAGE =
  "This request came from another site (its Origin is not this app's), so it was refused. Use the app's own pages, or an API key.";

/** The app's origin: APP_URL when configured (behind a proxy), else the origin the request was sent to. */
function appOrigin(url: string): string {
  return new URL(env().APP_URL ?? url).origin;
}

/**
 * Cross-site request refusal for requests authenticated by the session cookie. SameSite=Lax
 * does not stop a page on another port of the same host (same site, other origin), so a state
 * change must carry this app's Origin, or, from a browser that omits Origin, a Sec-Fetch-Site of
 * same-origin / none. A request with neither is refused: a browser always sends one of them.
 */
export function assertSameOrigin(method: string, url: string, headers: Headers): void {
  if (SAFE_METHODS.has(method.toUpperCase())) return;
  const origin = headers.get("origin");
  if (origin !== null) {
    if (origin === appOrigin(url)) return;
    throw new AppError("forbidden", CROSS_SITE_MESSAGE);
  }
  const site = headers.get("sec-fetch-site");
  if (site === "same-origin" || site === "none") return;
  throw new AppError("forbidden", CROSS_SITE_MESSAGE);
}

/**
 * The same rule for server actions (always POST), which have headers but no URL: Next compares
 * Origin with X-Forwarded-Host / Host before running an action; this repeats it against APP_URL
 * when set, and refuses a call with neither Origin nor a same-origin Sec-Fetch-Site, which Next
 * lets through with a warning.
 */
export function assertSameOriginAction(headers: Headers): void {
  const origin = headers.get("origin");
  if (origin !== null) {
    const configured = env().APP_URL;
    const host = configured
      ? new URL(configured).host
      : (headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? headers.get("host"));
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {}
    if (originHost && host && originHost === host) return;
    throw new AppError("forbidden", CROSS_SITE_MESSAGE);
  }
  const site = headers.get("sec-fetch-site");
  if (site === "same-origin" || site === "none") return;
  throw new AppError("forbidden", CROSS_SITE_MESSAGE);
}

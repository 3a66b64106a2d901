import { AppError } from "@/lib/errors";

export const GIT_REALM = 'Basic realm="DafnckMachine"';

/**
 * A plain-text answer. git prints a `text/plain` error body as `remote: …` lines, so the
 * message is what a user sees next to the HTTP status.
 */
export function gitText(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache", ...headers },
  });
}

/** AppErrors as their status and message (401 with the Basic challenge git needs); the rest 500. */
export function gitErrorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    if (error.code === "unauthenticated") {
      return gitText(401, `${error.message} Use an org API key as the password (any username).`, {
        "www-authenticate": GIT_REALM,
      });
    }
    if (error.code === "not_found") return gitText(404, "Repository not found.");
    const headers: Record<string, string> = error.retryAfterSeconds
      ? { "retry-after": String(error.retryAfterSeconds) }
      : {};
    return gitText(error.status, error.message, headers);
  }
  console.error("[git-http] unhandled", error);
  return gitText(500, "Something went wrong. Please try again.");
}

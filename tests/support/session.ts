import type { SessionUser } from "@/lib/auth/session";

export const actingAs: { current: SessionUser | null } = { current: null };

export function actAs(user: SessionUser | null) {
  actingAs.current = user;
}

/** The headers `next/headers` returns to server actions: a same-origin browser request behind the trusted proxy. */
export const DEFAULT_REQUEST_HEADERS: Record<string, string> = {
  "user-agent": "vitest",
  "x-forwarded-for": "203.0.113.9",
  host: "localhost",
  origin: "http://localhost",
};
export const requestHeaders: { current: Record<string, string> } = { current: DEFAULT_REQUEST_HEADERS };

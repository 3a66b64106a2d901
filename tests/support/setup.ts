import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import type { RateLimitStore } from "@/lib/rate-limit/store";
import { actingAs, DEFAULT_REQUEST_HEADERS, requestHeaders } from "./session";

// Server code reads the user from lib/auth/session and request metadata from next/headers; tests
// act as a chosen user and stand in for the request. Everything below those seams is real.
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => actingAs.current }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers(requestHeaders.current),
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {}, getAll: () => [] }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, updateTag: () => {} }));

if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://";
// Project repositories and working copies go to a folder of this test process, never the checkout's.
const scratch = mkdtempSync(path.join(os.tmpdir(), "dm-repos-"));
process.env.REPOS_DIR ??= path.join(scratch, "repos");
process.env.WORKTREES_DIR ??= path.join(scratch, "worktrees");
// Tests stand in for the reverse proxy, so X-Forwarded-For is the client IP (lib/request-meta.ts).
process.env.AUTH_TRUST_HOST ??= "true";

// Rate-limit counters are per test: one test's flood must not starve the next (on Postgres they
// would outlive the run).
beforeEach(async () => {
  const opened = (globalThis as { __dmRateLimit?: Promise<RateLimitStore> }).__dmRateLimit;
  if (opened && (await opened).driver === "postgres") await (await getDb()).delete(rateLimits);
});
afterEach(() => {
  requestHeaders.current = DEFAULT_REQUEST_HEADERS;
});

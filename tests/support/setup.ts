import { vi } from "vitest";
import { actingAs } from "./session";

// Server code reads the user from lib/auth/session and request metadata from next/headers; tests
// act as a chosen user and stand in for the request. Everything below those seams is real.
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => actingAs.current }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "vitest", "x-forwarded-for": "203.0.113.9" }),
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {}, getAll: () => [] }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, updateTag: () => {} }));

if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://";

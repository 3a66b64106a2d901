import { and, count, eq, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { getDb } from "@/db";
import { auditLogs } from "@/db/schema";

/** Shared by the organization, member and invitation tests: requests and row counts via the owner connection. */
export function jsonRequest(path: string, method: string, body?: unknown): Request {
  // A same-origin browser request: cookie-authenticated writes must carry the app's Origin.
  const headers = { "user-agent": "vitest", origin: "http://localhost" };
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    init.headers = { ...headers, "content-type": "application/json" };
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  return new Request(`http://localhost${path}`, init);
}

export function routeArgs<P extends Record<string, string>>(params: P) {
  return { params: Promise.resolve(params) };
}

export async function auditCount(orgId: string, action?: string): Promise<number> {
  const db = await getDb();
  const where = action
    ? and(eq(auditLogs.orgId, orgId), eq(auditLogs.action, action))
    : eq(auditLogs.orgId, orgId);
  const [row] = await db.select({ n: count() }).from(auditLogs).where(where);
  return row?.n ?? 0;
}

export async function rowCount(table: PgTable, where?: SQL): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}

export async function errorOf(res: Response) {
  const body = (await res.json()) as {
    error: { code: string; message: string; fieldErrors?: Record<string, string[]> };
  };
  return body.error;
}

import "server-only";
import { and, desc, eq, gte, ilike, lt, type SQL, sql } from "drizzle-orm";
import { auditLogs } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { AUDIT_PAGE_SIZE, type AuditCursor, type AuditFilters, encodeCursor } from "./schemas";
import type { AuditLogEntry, AuditPage } from "./types";

const DAY_MS = 24 * 60 * 60 * 1000;

function filterConditions(orgId: string, f: AuditFilters): SQL[] {
  const conditions: SQL[] = [eq(auditLogs.orgId, orgId)];
  if (f.action) conditions.push(eq(auditLogs.action, f.action));
  if (f.actor)
    conditions.push(ilike(auditLogs.actorEmail, `%${f.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.from) conditions.push(gte(auditLogs.createdAt, new Date(`${f.from}T00:00:00.000Z`)));
  if (f.to) conditions.push(lt(auditLogs.createdAt, new Date(Date.parse(`${f.to}T00:00:00.000Z`) + DAY_MS)));
  return conditions;
}

async function queryPage(
  ctx: OrgContext,
  filters: AuditFilters,
  cursor: AuditCursor | undefined,
  limit: number,
): Promise<{ entries: AuditLogEntry[]; next: AuditCursor | null }> {
  const conditions = filterConditions(ctx.org.id, filters);
  if (cursor) {
    conditions.push(
      sql`(${auditLogs.createdAt}, ${auditLogs.id}) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`,
    );
  }
  const rows = await ctx.tx((tx) =>
    tx
      .select({
        entry: auditLogs,
        exactTime: sql<string>`to_char(${auditLogs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      })
      .from(auditLogs)
      .where(and(...conditions))
      .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
      .limit(limit + 1),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map(({ entry: e }) => ({
      id: e.id,
      createdAt: e.createdAt.toISOString(),
      actorEmail: e.actorEmail,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      metadata: e.metadata,
      ip: e.ip,
      userAgent: e.userAgent,
    })),
    next: rows.length > limit && last ? { createdAt: last.exactTime, id: last.entry.id } : null,
  };
}

/**
 * One page of this organization's audit entries matching the filters, newest first, continuing
 * after `cursor`. Keyset paging, so entries written while someone pages never shift or repeat rows.
 */
export async function listAuditEntries(
  ctx: OrgContext,
  filters: AuditFilters,
  cursor?: AuditCursor,
): Promise<AuditPage> {
  const { entries, next } = await queryPage(ctx, filters, cursor, AUDIT_PAGE_SIZE);
  return { entries, nextCursor: next ? encodeCursor(next) : null };
}

/** Every matching entry, in batches, each read in its own short transaction (for the CSV export). */
export async function* allAuditEntries(
  ctx: OrgContext,
  filters: AuditFilters,
  batchSize = 1000,
): AsyncGenerator<AuditLogEntry[]> {
  let cursor: AuditCursor | undefined;
  do {
    const { entries, next } = await queryPage(ctx, filters, cursor, batchSize);
    yield entries;
    cursor = next ?? undefined;
  } while (cursor);
}

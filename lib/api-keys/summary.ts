import type { apiKeys } from "@/db/schema";
import type { ApiKeySummary } from "./schemas";

type Row = typeof apiKeys.$inferSelect;

/** What may leave the server about a key: never its hash. */
export function toApiKeySummary(row: Row, createdBy: string | null, now = new Date()): ApiKeySummary {
  const status = row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active";
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    status,
  };
}

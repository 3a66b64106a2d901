/** Audit shapes shared by the server, the JSON API and client components. */
export type AuditLogEntry = {
  id: string;
  createdAt: string;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
};

export type AuditPage = { entries: AuditLogEntry[]; nextCursor: string | null };

/** The filters as they appear in the URL (empty string = not set). */
export type AuditFilterValues = { action: string; actor: string; from: string; to: string };

export const auditKeys = {
  list: (org: string, f: AuditFilterValues) => ["audit", org, f.action, f.actor, f.from, f.to] as const,
};

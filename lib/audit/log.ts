import type { Tx } from "@/db";
import { auditLogs } from "@/db/schema";
import type { RequestMeta } from "@/lib/request-meta";

/** Every audited action has a name here, so the audit page can filter by it. */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_sso",
  "org.create",
  "org.update",
  "org.delete",
  "member.join",
  "member.role_change",
  "member.remove",
  "member.leave",
  "invitation.create",
  "invitation.resend",
  "invitation.revoke",
  "invitation.accept",
  "project.create",
  "project.update",
  "project.archive",
  "project.unarchive",
  "repository.update",
  "repository.remote_connect",
  "repository.remote_disconnect",
  "run.push",
  "sso.create",
  "sso.update",
  "sso.delete",
  "sso.domain_verified",
  "sso.domain_unverified",
  "agent.create",
  "agent.update",
  "ai_settings.update",
  "ai_settings.install_with_network",
  "run.start",
  "run.cancel",
  "run.resume",
  "run.retry_task",
  "run.fork",
  "approval.decide",
  "api_key.create",
  "api_key.revoke",
  "webhook.create",
  "webhook.update",
  "webhook.delete",
  "webhook.resend",
  "mcp_server.create",
  "mcp_server.update",
  "mcp_server.delete",
  "mcp_server.refresh",
  "mcp_grant.update",
  "plan.edit",
  "plan.approve",
  "task.claim",
  "task.complete",
  "project.context_update",
  "task.context_update",
  "repo.push",
  "knowledge.insight_add",
  "knowledge.insight_update",
  "knowledge.insight_delete",
  "knowledge_document.upload",
  "knowledge_document.update",
  "knowledge_document.delete",
  "knowledge.embeddings_failed",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEntry = {
  orgId: string;
  actor: { id: string; email: string } | null;
  action: AuditAction;
  target?: { type: string; id: string };
  metadata?: Record<string, unknown>;
  meta?: RequestMeta;
};

/** Written inside the mutation's own transaction: if the change commits, so does its record. */
export async function writeAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLogs).values({
    orgId: entry.orgId,
    actorId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    metadata: entry.metadata ?? {},
    ip: entry.meta?.ip ?? null,
    userAgent: entry.meta?.userAgent ?? null,
  });
}

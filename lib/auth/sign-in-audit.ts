import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { auditLogs, memberships } from "@/db/schema";
import type { RequestMeta } from "@/lib/request-meta";

/**
 * A sign-in is recorded in the audit log of every organization the user belongs to, so each
 * organization's admins see who signed in; organizations the user is not in learn nothing.
 * (An SSO sign-in is recorded as `auth.sign_in_sso` in the connection's organization instead.)
 */
export async function auditSignIn(input: {
  user: { id: string; email: string };
  provider: string;
  meta: RequestMeta;
  exceptOrgId?: string;
}): Promise<void> {
  const db = await getDb();
  const orgs = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, input.user.id));
  const rows = orgs
    .filter((o) => o.orgId !== input.exceptOrgId)
    .map((o) => ({
      orgId: o.orgId,
      actorId: input.user.id,
      actorEmail: input.user.email,
      action: "auth.sign_in" as const,
      targetType: "user",
      targetId: input.user.id,
      metadata: { provider: input.provider },
      ip: input.meta.ip,
      userAgent: input.meta.userAgent,
    }));
  if (rows.length > 0) await db.insert(auditLogs).values(rows);
}

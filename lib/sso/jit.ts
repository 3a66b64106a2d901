import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { memberships } from "@/db/schema";
import { writeAudit } from "@/lib/audit/log";
import type { RequestMeta } from "@/lib/request-meta";
import type { SsoClientConnection } from "./lookup";

/**
 * Just-in-time membership: whoever the organization's IdP signs in joins the organization with
 * the connection's default role (existing members keep theirs). Audited in the same transaction.
 */
export async function joinOrganizationViaSso(input: {
  connection: Pick<SsoClientConnection, "id" | "orgId" | "defaultRole">;
  user: { id: string; email: string };
  meta: RequestMeta;
}): Promise<{ joined: boolean }> {
  const { connection, user, meta } = input;
  return withTenant({ orgId: connection.orgId, userId: user.id }, async (tx) => {
    const [existing] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.orgId, connection.orgId), eq(memberships.userId, user.id)))
      .limit(1);
    let joined = false;
    if (!existing) {
      const inserted = await tx
        .insert(memberships)
        .values({ orgId: connection.orgId, userId: user.id, role: connection.defaultRole })
        .onConflictDoNothing()
        .returning({ id: memberships.id });
      const membership = inserted[0];
      if (membership) {
        joined = true;
        await writeAudit(tx, {
          orgId: connection.orgId,
          actor: user,
          action: "member.join",
          target: { type: "membership", id: membership.id },
          metadata: { role: connection.defaultRole, via: "sso" },
          meta,
        });
      }
    }
    await writeAudit(tx, {
      orgId: connection.orgId,
      actor: user,
      action: "auth.sign_in_sso",
      target: { type: "user", id: user.id },
      metadata: { connectionId: connection.id },
      meta,
    });
    return { joined };
  });
}

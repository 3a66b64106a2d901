import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { membershipRemovals, memberships } from "@/db/schema";
import { writeAudit } from "@/lib/audit/log";
import type { RequestMeta } from "@/lib/request-meta";
import type { SsoClientConnection } from "./lookup";

/**
 * Just-in-time membership: whoever the organization's IdP signs in (for a verified domain, checked
 * before this runs) joins with the connection's default role; existing members keep theirs.
 * Not when JIT is off, nor for someone removed from (or who left) the organization unless the
 * connection re-admits them: a removal must outlast the person's next sign-in. Audited in the
 * same transaction.
 */
export async function joinOrganizationViaSso(input: {
  connection: Pick<SsoClientConnection, "id" | "orgId" | "defaultRole" | "jitEnabled" | "jitReadmitRemoved">;
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
    const [removed] = await tx
      .select({ removedAt: membershipRemovals.removedAt })
      .from(membershipRemovals)
      .where(and(eq(membershipRemovals.orgId, connection.orgId), eq(membershipRemovals.userId, user.id)))
      .limit(1);
    const admit = connection.jitEnabled && (!removed || connection.jitReadmitRemoved);
    if (!existing && admit) {
      const inserted = await tx
        .insert(memberships)
        .values({ orgId: connection.orgId, userId: user.id, role: connection.defaultRole })
        .onConflictDoNothing()
        .returning({ id: memberships.id });
      const membership = inserted[0];
      if (membership) {
        joined = true;
        if (removed) {
          await tx
            .delete(membershipRemovals)
            .where(
              and(eq(membershipRemovals.orgId, connection.orgId), eq(membershipRemovals.userId, user.id)),
            );
        }
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
      metadata: { connectionId: connection.id, ...(existing || joined ? {} : { admitted: false }) },
      meta,
    });
    return { joined };
  });
}

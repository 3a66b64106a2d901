import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditLogs, invitations, memberships, organizations } from "@/db/schema";
import { writeAudit } from "@/lib/audit/log";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { createInvitation } from "@/lib/invitations/create-invitation";
import { changeMemberRole } from "@/lib/members/change-member-role";
import { createTeam, createUser } from "@/tests/support/factories";
import { resolveOrgContext } from "./context";
import { createOrganization } from "./create-organization";

// The audit writer is wrapped so a test can make one write fail: the change it records, and any
// audit row written before it in the same transaction, must then be gone too.
vi.mock("@/lib/audit/log", async (importOriginal) => {
  const mod = await importOriginal<typeof import("@/lib/audit/log")>();
  return { ...mod, writeAudit: vi.fn(mod.writeAudit) };
});

const meta = { ip: null, userAgent: "vitest" };
const failing = async () => {
  throw new Error("audit store unavailable");
};
const { writeAudit: realWriteAudit } =
  await vi.importActual<typeof import("@/lib/audit/log")>("@/lib/audit/log");

describe("audit entries share the mutation's transaction", () => {
  it("creating an organization leaves nothing when its second audit entry fails", async () => {
    const user = await createUser();
    const slug = `atomic-${Math.random().toString(36).slice(2, 8)}`;
    vi.mocked(writeAudit).mockImplementationOnce(realWriteAudit).mockImplementationOnce(failing);
    await expect(createOrganization(user, meta, { name: "Atomic", slug })).rejects.toThrow(/audit store/);
    const db = await getDb();
    expect(await db.select().from(organizations).where(eq(organizations.slug, slug))).toHaveLength(0);
    expect(await db.select().from(memberships).where(eq(memberships.userId, user.id))).toHaveLength(0);
    const orphans = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, "org.create"), eq(sql`${auditLogs.metadata}->>'slug'`, slug)));
    expect(orphans).toHaveLength(0);
  });

  it("a role change is rolled back when its audit entry fails", async () => {
    const t = await createTeam();
    const ctx = await resolveOrgContext(t.owner, t.org.slug, "members.manage", meta);
    const db = await getDb();
    const [target] = await db.select().from(memberships).where(eq(memberships.userId, t.member.id));
    vi.mocked(writeAudit).mockImplementationOnce(failing);
    await expect(changeMemberRole(ctx, { memberId: target?.id ?? "", role: "viewer" })).rejects.toThrow();
    const [after] = await db.select().from(memberships).where(eq(memberships.userId, t.member.id));
    expect(after?.role).toBe("member");
  });

  it("accepting an invitation is all or nothing: membership, used token and both audit entries", async () => {
    const t = await createTeam();
    const invitee = await createUser();
    const ctx = await resolveOrgContext(t.owner, t.org.slug, "members.invite", meta);
    const sent = await createInvitation(ctx, { email: invitee.email, role: "member" });
    const token = sent.inviteUrl.split("/invite/")[1] ?? "";
    vi.mocked(writeAudit).mockImplementationOnce(realWriteAudit).mockImplementationOnce(failing);
    await expect(acceptInvitation(invitee, meta, { token })).rejects.toThrow(/audit store/);
    const db = await getDb();
    const [invitation] = await db.select().from(invitations).where(eq(invitations.id, sent.invitation.id));
    expect(invitation?.acceptedAt).toBeNull();
    expect(
      await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.orgId, t.org.id), eq(memberships.userId, invitee.id))),
    ).toHaveLength(0);
    expect(
      await db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "invitation.accept"))),
    ).toHaveLength(0);
    // The same token still works once the failure has passed.
    expect((await acceptInvitation(invitee, meta, { token })).alreadyMember).toBe(false);
  });
});

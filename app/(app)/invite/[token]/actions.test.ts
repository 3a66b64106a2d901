import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { invitations, memberships } from "@/db/schema";
import { createInvitation } from "@/lib/invitations/create-invitation";
import { resendInvitation } from "@/lib/invitations/resend-invitation";
import { revokeInvitation } from "@/lib/invitations/revoke-invitation";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam, createUser } from "@/tests/support/factories";
import { auditCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { acceptInvitationAction } from "./actions";

type Team = Awaited<ReturnType<typeof createTeam>>;
const meta = { ip: null, userAgent: "vitest" };

async function inviteUser(t: Team, email: string, role: "member" | "viewer" = "member") {
  const ctx = await resolveOrgContext(t.owner, t.org.slug, "members.invite", meta);
  const sent = await createInvitation(ctx, { email: email.toLowerCase(), role });
  return { id: sent.invitation.id, token: sent.inviteUrl.split("/invite/")[1] ?? "" };
}

async function membership(orgId: string, userId: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}

describe("acceptInvitationAction", () => {
  it("adds the invited user with the invited role, marks the invitation used, audits both", async () => {
    const t = await createTeam();
    const invitee = await createUser("Invitee");
    const { id, token } = await inviteUser(t, invitee.email.toUpperCase(), "viewer");
    actAs({ ...invitee, email: invitee.email.toUpperCase() });
    const result = await acceptInvitationAction({ token });
    expect(result).toEqual({
      ok: true,
      data: { org: { name: "Acme", slug: t.org.slug }, alreadyMember: false },
    });
    expect((await membership(t.org.id, invitee.id))?.role).toBe("viewer");
    const db = await getDb();
    const [row] = await db.select().from(invitations).where(eq(invitations.id, id));
    expect(row?.acceptedAt).toBeInstanceOf(Date);
    expect(await auditCount(t.org.id, "invitation.accept")).toBe(1);
    expect(await auditCount(t.org.id, "member.join")).toBe(1);
  });

  it("works once: a second use of the token is refused", async () => {
    const t = await createTeam();
    const invitee = await createUser();
    const { token } = await inviteUser(t, invitee.email);
    actAs(invitee);
    expect((await acceptInvitationAction({ token })).ok).toBe(true);
    const again = await acceptInvitationAction({ token });
    expect(again).toMatchObject({
      ok: false,
      error: { code: "conflict", message: expect.stringMatching(/already been used/) },
    });
    expect(await auditCount(t.org.id, "invitation.accept")).toBe(1);
  });

  it("refuses a signed-in user whose email differs, and writes nothing", async () => {
    const t = await createTeam();
    const invitee = await createUser();
    const { token } = await inviteUser(t, invitee.email);
    actAs(t.outsider);
    const result = await acceptInvitationAction({ token });
    expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    if (!result.ok) expect(result.error.message).toContain(invitee.email);
    expect(await membership(t.org.id, t.outsider.id)).toBeUndefined();
    expect(await auditCount(t.org.id, "invitation.accept")).toBe(0);
  });

  it("refuses an expired invitation", async () => {
    const t = await createTeam();
    const invitee = await createUser();
    const { id, token } = await inviteUser(t, invitee.email);
    const db = await getDb();
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(invitations.id, id));
    actAs(invitee);
    const result = await acceptInvitationAction({ token });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "conflict", message: expect.stringMatching(/expired/) },
    });
    expect(await membership(t.org.id, invitee.id)).toBeUndefined();
  });

  it("refuses a revoked invitation", async () => {
    const t = await createTeam();
    const invitee = await createUser();
    const { id, token } = await inviteUser(t, invitee.email);
    await revokeInvitation(await resolveOrgContext(t.owner, t.org.slug, "members.invite", meta), { id });
    actAs(invitee);
    const result = await acceptInvitationAction({ token });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "conflict", message: expect.stringMatching(/revoked/) },
    });
    expect(await membership(t.org.id, invitee.id)).toBeUndefined();
  });

  it("refuses the old token after a resend and accepts the new one", async () => {
    const t = await createTeam();
    const invitee = await createUser();
    const { id, token } = await inviteUser(t, invitee.email);
    const ctx = await resolveOrgContext(t.owner, t.org.slug, "members.invite", meta);
    const resent = await resendInvitation(ctx, { id });
    actAs(invitee);
    expect(await acceptInvitationAction({ token })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    const fresh = resent.inviteUrl.split("/invite/")[1];
    expect((await acceptInvitationAction({ token: fresh })).ok).toBe(true);
  });

  it("rejects an unknown or malformed token and missing input", async () => {
    actAs(await createUser());
    expect(await acceptInvitationAction({ token: "x".repeat(43) })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await acceptInvitationAction({ token: "../../etc" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await acceptInvitationAction({})).toMatchObject({
      ok: false,
      error: { code: "validation", fieldErrors: { token: [expect.any(String)] } },
    });
  });

  it("needs a signed-in user", async () => {
    const t = await createTeam();
    const { token } = await inviteUser(t, "later@example.test");
    actAs(null);
    expect(await acceptInvitationAction({ token })).toMatchObject({
      ok: false,
      error: { code: "unauthenticated" },
    });
  });
});

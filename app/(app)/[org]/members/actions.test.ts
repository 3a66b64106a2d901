import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { invitations, memberships } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { auditCount, rowCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import {
  changeMemberRoleAction,
  createInvitationAction,
  leaveOrganizationAction,
  removeMemberAction,
  resendInvitationAction,
  revokeInvitationAction,
} from "./actions";

type Team = Awaited<ReturnType<typeof createTeam>>;

async function membership(orgId: string, userId: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}

async function memberId(t: Team, userId: string) {
  return (await membership(t.org.id, userId))?.id ?? "";
}

async function invitationId(t: Team, role: "member" | "owner" = "member") {
  actAs(t.owner);
  const result = await createInvitationAction(t.org.slug, { email: `m-${Math.random()}@example.test`, role });
  if (!result.ok) throw new Error(result.error.message);
  return result.data.invitation.id;
}

const invitationCount = (t: Team) => rowCount(invitations, eq(invitations.orgId, t.org.id));

describe("changeMemberRoleAction", () => {
  it("changes a role for an admin, audited", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const result = await changeMemberRoleAction(t.org.slug, {
      memberId: await memberId(t, t.viewer.id),
      role: "member",
    });
    expect(result.ok).toBe(true);
    expect((await membership(t.org.id, t.viewer.id))?.role).toBe("member");
    expect(await auditCount(t.org.id, "member.role_change")).toBe(1);
  });

  it("is forbidden to a member, not found for another org's user and an unknown slug", async () => {
    const t = await createTeam();
    const input = { memberId: await memberId(t, t.viewer.id), role: "admin" };
    actAs(t.member);
    expect(await changeMemberRoleAction(t.org.slug, input)).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    actAs(t.outsider);
    expect(await changeMemberRoleAction(t.org.slug, input)).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await changeMemberRoleAction("unknown-org", input)).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect((await membership(t.org.id, t.viewer.id))?.role).toBe("viewer");
  });

  it("returns field errors for bad input and writes nothing", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const result = await changeMemberRoleAction(t.org.slug, { memberId: "nope", role: "emperor" });
    expect(result).toMatchObject({ ok: false, error: { code: "validation" } });
    if (result.ok) return;
    expect(Object.keys(result.error.fieldErrors ?? {}).sort()).toEqual(["memberId", "role"]);
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("refuses an admin granting owner, and demoting the last owner", async () => {
    const t = await createTeam();
    actAs(t.admin);
    expect(
      await changeMemberRoleAction(t.org.slug, { memberId: await memberId(t, t.member.id), role: "owner" }),
    ).toMatchObject({ ok: false, error: { code: "forbidden" } });
    actAs(t.owner);
    expect(
      await changeMemberRoleAction(t.org.slug, { memberId: await memberId(t, t.owner.id), role: "viewer" }),
    ).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect((await membership(t.org.id, t.owner.id))?.role).toBe("owner");
    expect(await auditCount(t.org.id)).toBe(0);
  });
});

describe("removeMemberAction", () => {
  it("removes a member for an admin, audited", async () => {
    const t = await createTeam();
    actAs(t.admin);
    expect((await removeMemberAction(t.org.slug, { memberId: await memberId(t, t.member.id) })).ok).toBe(
      true,
    );
    expect(await membership(t.org.id, t.member.id)).toBeUndefined();
    expect(await auditCount(t.org.id, "member.remove")).toBe(1);
  });

  it("is forbidden to a member, not found for another org's user and an unknown slug", async () => {
    const t = await createTeam();
    const input = { memberId: await memberId(t, t.viewer.id) };
    actAs(t.member);
    expect(await removeMemberAction(t.org.slug, input)).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    actAs(t.outsider);
    expect(await removeMemberAction(t.org.slug, input)).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await removeMemberAction("unknown-org", input)).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await membership(t.org.id, t.viewer.id)).toBeDefined();
  });

  it("returns a field error for a missing member id", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const result = await removeMemberAction(t.org.slug, {});
    expect(result).toMatchObject({
      ok: false,
      error: { code: "validation", fieldErrors: { memberId: [expect.any(String)] } },
    });
    expect(await rowCount(memberships, eq(memberships.orgId, t.org.id))).toBe(4);
  });

  it("does not let an admin remove an owner", async () => {
    const t = await createTeam();
    actAs(t.admin);
    expect(await removeMemberAction(t.org.slug, { memberId: await memberId(t, t.owner.id) })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await membership(t.org.id, t.owner.id)).toBeDefined();
  });
});

describe("leaveOrganizationAction", () => {
  it("lets a viewer leave, audited", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    expect((await leaveOrganizationAction(t.org.slug, {})).ok).toBe(true);
    expect(await membership(t.org.id, t.viewer.id)).toBeUndefined();
    expect(await auditCount(t.org.id, "member.leave")).toBe(1);
  });

  it("refuses the last owner with a clear conflict", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const result = await leaveOrganizationAction(t.org.slug, {});
    expect(result).toMatchObject({ ok: false, error: { code: "conflict" } });
    if (!result.ok) expect(result.error.message).toMatch(/at least one owner/);
    expect(await membership(t.org.id, t.owner.id)).toBeDefined();
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("is not found for another org's user and an unknown slug; bad input is a validation error", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    expect(await leaveOrganizationAction(t.org.slug, {})).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await leaveOrganizationAction("unknown-org", {})).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    actAs(t.member);
    expect(await leaveOrganizationAction(t.org.slug, "leave")).toMatchObject({
      ok: false,
      error: { code: "validation" },
    });
    expect(await membership(t.org.id, t.member.id)).toBeDefined();
  });
  // Leaving needs only membership (org.read), which every role has: there is no lower role to refuse.
});

describe("createInvitationAction", () => {
  it("invites for an admin and returns the link, audited", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const result = await createInvitationAction(t.org.slug, {
      email: "new.person@example.test",
      role: "admin",
    });
    expect(result).toMatchObject({ ok: true, data: { invitation: { role: "admin" }, emailSent: true } });
    if (result.ok) expect(result.data.inviteUrl).toMatch(/\/invite\/[\w-]{43}$/);
    expect(await auditCount(t.org.id, "invitation.create")).toBe(1);
  });

  it("is forbidden to a member, not found for another org's user and an unknown slug", async () => {
    const t = await createTeam();
    const input = { email: "someone@example.test", role: "viewer" };
    actAs(t.member);
    expect(await createInvitationAction(t.org.slug, input)).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    actAs(t.outsider);
    expect(await createInvitationAction(t.org.slug, input)).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await createInvitationAction("unknown-org", input)).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await invitationCount(t)).toBe(0);
  });

  it("returns field errors for bad input and writes nothing", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const result = await createInvitationAction(t.org.slug, { email: "nope", role: "" });
    expect(result).toMatchObject({ ok: false, error: { code: "validation" } });
    if (!result.ok) expect(Object.keys(result.error.fieldErrors ?? {}).sort()).toEqual(["email", "role"]);
    expect(await invitationCount(t)).toBe(0);
    expect(await auditCount(t.org.id)).toBe(0);
  });
});

describe("resendInvitationAction", () => {
  it("resends for an admin, audited", async () => {
    const t = await createTeam();
    const id = await invitationId(t);
    actAs(t.admin);
    expect((await resendInvitationAction(t.org.slug, { id })).ok).toBe(true);
    expect(await auditCount(t.org.id, "invitation.resend")).toBe(1);
  });

  it("is forbidden to a member and for an admin on an owner invitation; not found across orgs", async () => {
    const t = await createTeam();
    const id = await invitationId(t);
    const ownerInvite = await invitationId(t, "owner");
    actAs(t.member);
    expect(await resendInvitationAction(t.org.slug, { id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    actAs(t.admin);
    expect(await resendInvitationAction(t.org.slug, { id: ownerInvite })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    actAs(t.outsider);
    expect(await resendInvitationAction(t.org.slug, { id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await resendInvitationAction("unknown-org", { id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await auditCount(t.org.id, "invitation.resend")).toBe(0);
  });

  it("returns a field error for a malformed id", async () => {
    const t = await createTeam();
    actAs(t.owner);
    expect(await resendInvitationAction(t.org.slug, { id: "x" })).toMatchObject({
      ok: false,
      error: { code: "validation", fieldErrors: { id: [expect.any(String)] } },
    });
  });
});

describe("revokeInvitationAction", () => {
  it("revokes for an admin, audited", async () => {
    const t = await createTeam();
    const id = await invitationId(t);
    actAs(t.admin);
    expect(await revokeInvitationAction(t.org.slug, { id })).toMatchObject({
      ok: true,
      data: { status: "revoked" },
    });
    expect(await auditCount(t.org.id, "invitation.revoke")).toBe(1);
  });

  it("is forbidden to a viewer, not found across orgs, and rejects a malformed id", async () => {
    const t = await createTeam();
    const id = await invitationId(t);
    actAs(t.viewer);
    expect(await revokeInvitationAction(t.org.slug, { id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    actAs(t.outsider);
    expect(await revokeInvitationAction(t.org.slug, { id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await revokeInvitationAction("unknown-org", { id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    actAs(t.owner);
    expect(await revokeInvitationAction(t.org.slug, { id: 42 })).toMatchObject({
      ok: false,
      error: { code: "validation" },
    });
    expect(await auditCount(t.org.id, "invitation.revoke")).toBe(0);
  });
});

import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { memberships, type Role } from "@/db/schema";
import { addMember, createTeam } from "@/tests/support/factories";
import { auditCount, errorOf, jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { DELETE, PATCH } from "./route";

type Team = Awaited<ReturnType<typeof createTeam>>;

async function membershipOf(orgId: string, userId: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}

async function idOf(t: Team, userId: string): Promise<string> {
  const row = await membershipOf(t.org.id, userId);
  if (!row) throw new Error("no membership");
  return row.id;
}

function patch(org: string, memberId: string, body: unknown) {
  return PATCH(
    jsonRequest(`/api/orgs/${org}/members/${memberId}`, "PATCH", body),
    routeArgs({ org, memberId }),
  );
}

function remove(org: string, memberId: string) {
  return DELETE(jsonRequest(`/api/orgs/${org}/members/${memberId}`, "DELETE"), routeArgs({ org, memberId }));
}

const roleOf = async (t: Team, userId: string): Promise<Role | undefined> =>
  (await membershipOf(t.org.id, userId))?.role;

describe("PATCH /api/orgs/[org]/members/[memberId]", () => {
  it("lets an admin change a member's role, audited", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const res = await patch(t.org.slug, await idOf(t, t.member.id), { role: "viewer" });
    expect(res.status).toBe(200);
    expect(await roleOf(t, t.member.id)).toBe("viewer");
    expect(await auditCount(t.org.id, "member.role_change")).toBe(1);
  });

  it("answers 403 to a member and a viewer", async () => {
    const t = await createTeam();
    const target = await idOf(t, t.viewer.id);
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect((await patch(t.org.slug, target, { role: "member" })).status).toBe(403);
    }
    expect(await roleOf(t, t.viewer.id)).toBe("viewer");
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("answers 404 to another organization's user, for an unknown slug, and for another organization's membership", async () => {
    const t = await createTeam();
    const target = await idOf(t, t.member.id);
    actAs(t.outsider);
    expect((await patch(t.org.slug, target, { role: "admin" })).status).toBe(404);
    actAs(t.owner);
    expect((await patch("nowhere", target, { role: "admin" })).status).toBe(404);
    const foreign = await membershipOf(t.otherOrg.id, t.outsider.id);
    expect((await patch(t.org.slug, foreign?.id ?? "", { role: "viewer" })).status).toBe(404);
    expect((await patch(t.org.slug, "not-a-uuid", { role: "viewer" })).status).toBe(404);
    expect((await membershipOf(t.otherOrg.id, t.outsider.id))?.role).toBe("owner");
    expect(await roleOf(t, t.member.id)).toBe("member");
  });

  it.each([[{ role: "superuser" }], [{ role: 3 }], [{}]])("rejects %j with a field message", async (body) => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await patch(t.org.slug, await idOf(t, t.member.id), body);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).fieldErrors?.role?.[0]).toMatch(/Choose a role/);
    expect(await roleOf(t, t.member.id)).toBe("member");
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("rejects malformed JSON with 400", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await PATCH(
      jsonRequest(`/api/orgs/${t.org.slug}/members/x`, "PATCH", "{role"),
      routeArgs({ org: t.org.slug, memberId: await idOf(t, t.member.id) }),
    );
    expect(res.status).toBe(400);
  });

  it("does not let an admin grant owner or change an owner", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const grant = await patch(t.org.slug, await idOf(t, t.member.id), { role: "owner" });
    expect(grant.status).toBe(403);
    expect((await errorOf(grant)).message).toMatch(/above your own/);
    const demote = await patch(t.org.slug, await idOf(t, t.owner.id), { role: "viewer" });
    expect(demote.status).toBe(403);
    expect(await roleOf(t, t.member.id)).toBe("member");
    expect(await roleOf(t, t.owner.id)).toBe("owner");
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("refuses to demote the last owner (409) but allows it once there is another", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const ownerId = await idOf(t, t.owner.id);
    const res = await patch(t.org.slug, ownerId, { role: "admin" });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).message).toMatch(/at least one owner/);
    expect(await auditCount(t.org.id, "member.role_change")).toBe(0);

    expect((await patch(t.org.slug, await idOf(t, t.admin.id), { role: "owner" })).status).toBe(200);
    expect((await patch(t.org.slug, ownerId, { role: "admin" })).status).toBe(200);
    expect(await roleOf(t, t.owner.id)).toBe("admin");
  });
});

describe("DELETE /api/orgs/[org]/members/[memberId]", () => {
  it("lets an admin remove a member, audited", async () => {
    const t = await createTeam();
    actAs(t.admin);
    expect((await remove(t.org.slug, await idOf(t, t.member.id))).status).toBe(204);
    expect(await membershipOf(t.org.id, t.member.id)).toBeUndefined();
    expect(await auditCount(t.org.id, "member.remove")).toBe(1);
  });

  it("answers 403 when a member or viewer removes someone else", async () => {
    const t = await createTeam();
    const target = await idOf(t, t.admin.id);
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect((await remove(t.org.slug, target)).status).toBe(403);
    }
    expect(await membershipOf(t.org.id, t.admin.id)).toBeDefined();
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("does not let an admin remove an owner", async () => {
    const t = await createTeam();
    actAs(t.admin);
    expect((await remove(t.org.slug, await idOf(t, t.owner.id))).status).toBe(403);
    expect(await membershipOf(t.org.id, t.owner.id)).toBeDefined();
  });

  it("lets any member remove themselves (leave), audited as member.leave", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    expect((await remove(t.org.slug, await idOf(t, t.viewer.id))).status).toBe(204);
    expect(await membershipOf(t.org.id, t.viewer.id)).toBeUndefined();
    expect(await auditCount(t.org.id, "member.leave")).toBe(1);
  });

  it("refuses to let the last owner leave (409)", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await remove(t.org.slug, await idOf(t, t.owner.id));
    expect(res.status).toBe(409);
    expect(await membershipOf(t.org.id, t.owner.id)).toBeDefined();
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("lets an owner remove another owner", async () => {
    const t = await createTeam();
    const second = await addMember(t.org.id, "owner");
    actAs(t.owner);
    expect((await remove(t.org.slug, await idOf(t, second.id))).status).toBe(204);
  });

  it("answers 404 to another organization's user, for an unknown slug, and for another organization's membership", async () => {
    const t = await createTeam();
    const target = await idOf(t, t.member.id);
    actAs(t.outsider);
    expect((await remove(t.org.slug, target)).status).toBe(404);
    actAs(t.owner);
    expect((await remove("unknown-org", target)).status).toBe(404);
    const foreign = await membershipOf(t.otherOrg.id, t.outsider.id);
    expect((await remove(t.org.slug, foreign?.id ?? "")).status).toBe(404);
    expect((await remove(t.org.slug, "123")).status).toBe(404);
    expect(await membershipOf(t.otherOrg.id, t.outsider.id)).toBeDefined();
    expect(await membershipOf(t.org.id, t.member.id)).toBeDefined();
  });
});

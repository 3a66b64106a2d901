import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { invitations } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { auditCount, jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { POST } from "../route";
import { DELETE } from "./route";

async function seedInvitation(org: string, role = "member") {
  const res = await POST(
    jsonRequest(`/api/orgs/${org}/invitations`, "POST", { email: `x-${Math.random()}@example.test`, role }),
    routeArgs({ org }),
  );
  return ((await res.json()) as { invitation: { id: string } }).invitation.id;
}

const revoke = (org: string, id: string) =>
  DELETE(jsonRequest(`/api/orgs/${org}/invitations/${id}`, "DELETE"), routeArgs({ org, id }));

async function revokedAt(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(invitations).where(eq(invitations.id, id));
  return row?.revokedAt ?? null;
}

describe("DELETE /api/orgs/[org]/invitations/[id]", () => {
  it("revokes a pending invitation, audited; revoking again is a 409", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const id = await seedInvitation(t.org.slug);
    expect((await revoke(t.org.slug, id)).status).toBe(204);
    expect(await revokedAt(id)).toBeInstanceOf(Date);
    expect(await auditCount(t.org.id, "invitation.revoke")).toBe(1);
    expect((await revoke(t.org.slug, id)).status).toBe(409);
    expect(await auditCount(t.org.id, "invitation.revoke")).toBe(1);
  });

  it("answers 403 to a member and a viewer", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const id = await seedInvitation(t.org.slug);
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect((await revoke(t.org.slug, id)).status).toBe(403);
    }
    expect(await revokedAt(id)).toBeNull();
  });

  it("does not let an admin revoke an owner's invitation", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const id = await seedInvitation(t.org.slug, "owner");
    actAs(t.admin);
    expect((await revoke(t.org.slug, id)).status).toBe(403);
    expect(await revokedAt(id)).toBeNull();
  });

  it("answers 404 to another organization's user, for an unknown slug, and for another organization's invitation", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const id = await seedInvitation(t.org.slug);
    actAs(t.outsider);
    const foreign = await seedInvitation(t.otherOrg.slug);
    expect((await revoke(t.org.slug, id)).status).toBe(404);
    expect((await revoke("unknown-slug", id)).status).toBe(404);
    actAs(t.owner);
    expect((await revoke(t.org.slug, foreign)).status).toBe(404);
    expect((await revoke(t.org.slug, "not-a-uuid")).status).toBe(404);
    expect(await revokedAt(id)).toBeNull();
    expect(await revokedAt(foreign)).toBeNull();
  });
});

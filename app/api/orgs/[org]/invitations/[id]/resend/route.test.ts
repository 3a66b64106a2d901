import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { invitations } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import { findInvitationByToken } from "@/lib/invitations/find-invitation-by-token";
import { createTeam } from "@/tests/support/factories";
import { auditCount, jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { POST as create } from "../../route";
import { DELETE } from "../route";
import { POST } from "./route";

type Sent = { invitation: { id: string; expiresAt: string }; inviteUrl: string };

async function seedInvitation(org: string) {
  const res = await create(
    jsonRequest(`/api/orgs/${org}/invitations`, "POST", {
      email: `r-${Math.random()}@example.test`,
      role: "viewer",
    }),
    routeArgs({ org }),
  );
  return (await res.json()) as Sent;
}

const resend = (org: string, id: string) =>
  POST(jsonRequest(`/api/orgs/${org}/invitations/${id}/resend`, "POST"), routeArgs({ org, id }));

const tokenOf = (sent: Sent) => sent.inviteUrl.split("/invite/")[1] ?? "";

async function row(id: string) {
  const db = await getDb();
  const [r] = await db.select().from(invitations).where(eq(invitations.id, id));
  return r;
}

describe("POST /api/orgs/[org]/invitations/[id]/resend", () => {
  it("rotates the token and renews the expiry; the old link stops working", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const first = await seedInvitation(t.org.slug);
    const db = await getDb();
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.id, first.invitation.id));
    const res = await resend(t.org.slug, first.invitation.id);
    expect(res.status).toBe(200);
    const second = (await res.json()) as Sent;
    expect(tokenOf(second)).not.toBe(tokenOf(first));
    expect((await row(first.invitation.id))?.tokenHash).toBe(hashToken(tokenOf(second)));
    expect(new Date(second.invitation.expiresAt).getTime()).toBeGreaterThan(
      Date.now() + 6.9 * 24 * 3600 * 1000,
    );
    expect(await findInvitationByToken(tokenOf(first))).toBeNull();
    expect((await findInvitationByToken(tokenOf(second)))?.status).toBe("pending");
    expect(await auditCount(t.org.id, "invitation.resend")).toBe(1);
  });

  it("refuses a revoked invitation (409)", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const sent = await seedInvitation(t.org.slug);
    await DELETE(jsonRequest("/x", "DELETE"), routeArgs({ org: t.org.slug, id: sent.invitation.id }));
    expect((await resend(t.org.slug, sent.invitation.id)).status).toBe(409);
    expect(await auditCount(t.org.id, "invitation.resend")).toBe(0);
  });

  it("answers 403 to a member and a viewer", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const sent = await seedInvitation(t.org.slug);
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect((await resend(t.org.slug, sent.invitation.id)).status).toBe(403);
    }
    expect((await row(sent.invitation.id))?.tokenHash).toBe(hashToken(tokenOf(sent)));
  });

  it("answers 404 to another organization's user, for an unknown slug and an unknown id", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const sent = await seedInvitation(t.org.slug);
    actAs(t.outsider);
    expect((await resend(t.org.slug, sent.invitation.id)).status).toBe(404);
    expect((await resend("gone-org", sent.invitation.id)).status).toBe(404);
    actAs(t.owner);
    expect((await resend(t.org.slug, crypto.randomUUID())).status).toBe(404);
    expect((await row(sent.invitation.id))?.tokenHash).toBe(hashToken(tokenOf(sent)));
  });
});

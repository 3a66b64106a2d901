import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { invitations } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import { outbox } from "@/lib/mail";
import { createTeam } from "@/tests/support/factories";
import { auditCount, errorOf, jsonRequest, routeArgs, rowCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { GET, POST } from "./route";

const invite = (org: string, body: unknown) =>
  POST(jsonRequest(`/api/orgs/${org}/invitations`, "POST", body), routeArgs({ org }));
const list = (org: string) => GET(jsonRequest(`/api/orgs/${org}/invitations`, "GET"), routeArgs({ org }));
const countFor = (orgId: string) => rowCount(invitations, eq(invitations.orgId, orgId));
const newEmail = () => `Invitee-${Math.random().toString(36).slice(2, 8)}@Example.test`;

describe("POST /api/orgs/[org]/invitations", () => {
  it("invites by email with a role: stores only the token's hash, mails the link, audits", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const email = newEmail();
    const res = await invite(t.org.slug, { email, role: "member" });
    expect(res.status).toBe(201);
    const text = await res.text();
    const body = JSON.parse(text) as {
      invitation: { id: string; email: string; status: string };
      inviteUrl: string;
    };
    expect(body.invitation).toMatchObject({ email: email.toLowerCase(), role: "member", status: "pending" });
    const token = body.inviteUrl.split("/invite/")[1] ?? "";
    const db = await getDb();
    const [row] = await db.select().from(invitations).where(eq(invitations.id, body.invitation.id));
    expect(row?.tokenHash).toBe(hashToken(token));
    expect(text).not.toContain(row?.tokenHash);
    expect(row?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * 24 * 3600 * 1000);
    expect(row?.expiresAt.getTime()).toBeLessThan(Date.now() + 7.1 * 24 * 3600 * 1000);
    const mail = outbox().at(-1);
    expect(mail?.to).toBe(email.toLowerCase());
    expect(mail?.text).toContain(`/invite/${token}`);
    expect(await auditCount(t.org.id, "invitation.create")).toBe(1);
  });

  it("answers 403 to a member and a viewer, writing nothing", async () => {
    const t = await createTeam();
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect((await invite(t.org.slug, { email: newEmail(), role: "viewer" })).status).toBe(403);
    }
    expect(await countFor(t.org.id)).toBe(0);
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("does not let an admin invite an owner", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const res = await invite(t.org.slug, { email: newEmail(), role: "owner" });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).fieldErrors?.role?.[0]).toMatch(/above your own/);
    expect(await countFor(t.org.id)).toBe(0);
  });

  it("answers 404 to another organization's user and for an unknown slug", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    expect((await invite(t.org.slug, { email: newEmail(), role: "viewer" })).status).toBe(404);
    expect((await invite("no-org-here", { email: newEmail(), role: "viewer" })).status).toBe(404);
    expect(await countFor(t.org.id)).toBe(0);
  });

  it.each([
    [{ email: "not-an-email", role: "member" }, ["email"]],
    [{ email: 12, role: "member" }, ["email"]],
    [{ email: "a@b.test", role: "king" }, ["role"]],
    [{}, ["email", "role"]],
  ])("rejects %j with field messages and writes nothing", async (body, fields) => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await invite(t.org.slug, body);
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    for (const field of fields) expect(error.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    expect(await countFor(t.org.id)).toBe(0);
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("rejects malformed JSON with 400", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await POST(
      jsonRequest(`/api/orgs/${t.org.slug}/invitations`, "POST", "{"),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(400);
    expect(await countFor(t.org.id)).toBe(0);
  });

  it("answers 409 for an existing member and for a second pending invitation to the same email", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const member = await invite(t.org.slug, { email: t.member.email.toUpperCase(), role: "viewer" });
    expect(member.status).toBe(409);
    expect((await errorOf(member)).fieldErrors?.email?.[0]).toMatch(/already a member/);
    const email = newEmail();
    expect((await invite(t.org.slug, { email, role: "viewer" })).status).toBe(201);
    const again = await invite(t.org.slug, { email: email.toLowerCase(), role: "member" });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).fieldErrors?.email?.[0]).toMatch(/already pending/);
    expect(await countFor(t.org.id)).toBe(1);
    expect(await auditCount(t.org.id, "invitation.create")).toBe(1);
  });

  it("allows a new invitation once the previous one has expired", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const email = newEmail();
    await invite(t.org.slug, { email, role: "viewer" });
    const db = await getDb();
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.orgId, t.org.id));
    expect((await invite(t.org.slug, { email, role: "viewer" })).status).toBe(201);
  });
});

describe("GET /api/orgs/[org]/invitations", () => {
  it("lists open invitations to an admin without token hashes", async () => {
    const t = await createTeam();
    actAs(t.admin);
    await invite(t.org.slug, { email: newEmail(), role: "member" });
    const res = await list(t.org.slug);
    expect(res.status).toBe(200);
    const { invitations: rows } = (await res.json()) as { invitations: Record<string, unknown>[] };
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: "member", status: "pending", invitedBy: { email: t.admin.email } });
    expect(Object.keys(rows[0] ?? {})).not.toContain("tokenHash");
  });

  it("answers 403 to a member and a viewer", async () => {
    const t = await createTeam();
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect((await list(t.org.slug)).status).toBe(403);
    }
  });

  it("answers 404 to another organization's user and for an unknown slug", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    expect((await list(t.org.slug)).status).toBe(404);
    expect((await list("missing-org")).status).toBe(404);
  });
});

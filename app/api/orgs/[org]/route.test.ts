import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs, memberships, organizations } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { auditCount, errorOf, jsonRequest, routeArgs, rowCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { DELETE, GET, PATCH } from "./route";

const url = (org: string) => `/api/orgs/${org}`;

async function orgRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row;
}

describe("GET /api/orgs/[org]", () => {
  it("returns the organization with the caller's role and permissions", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    const res = await GET(jsonRequest(url(t.org.slug), "GET"), routeArgs({ org: t.org.slug }));
    expect(res.status).toBe(200);
    const { organization } = (await res.json()) as {
      organization: { id: string; role: string; permissions: string[] };
    };
    expect(organization).toMatchObject({ id: t.org.id, role: "viewer" });
    expect(organization.permissions).toContain("org.read");
    expect(organization.permissions).not.toContain("org.manage");
  });

  it("answers 404 to a user of another organization and for an unknown slug", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    expect((await GET(jsonRequest(url(t.org.slug), "GET"), routeArgs({ org: t.org.slug }))).status).toBe(404);
    expect(
      (await GET(jsonRequest(url("no-such-org"), "GET"), routeArgs({ org: "no-such-org" }))).status,
    ).toBe(404);
  });
});

describe("PATCH /api/orgs/[org]", () => {
  it("lets an admin rename and change the slug, audited", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const slug = `${t.org.slug}-renamed`;
    const res = await PATCH(
      jsonRequest(url(t.org.slug), "PATCH", { name: "Renamed", slug }),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(200);
    expect(await orgRow(t.org.id)).toMatchObject({ name: "Renamed", slug });
    const db = await getDb();
    const [entry] = await db.select().from(auditLogs).where(eq(auditLogs.orgId, t.org.id));
    expect(entry).toMatchObject({ action: "org.update", actorId: t.admin.id, userAgent: "vitest" });
    expect(entry?.metadata).toEqual({
      name: { from: "Acme", to: "Renamed" },
      slug: { from: t.org.slug, to: slug },
    });
  });

  it("answers 403 to a member and a viewer, writing nothing", async () => {
    const t = await createTeam();
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      const res = await PATCH(
        jsonRequest(url(t.org.slug), "PATCH", { name: "Nope" }),
        routeArgs({ org: t.org.slug }),
      );
      expect(res.status).toBe(403);
    }
    expect((await orgRow(t.org.id))?.name).toBe("Acme");
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("answers 404 to a user of another organization and for an unknown slug", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    const res = await PATCH(
      jsonRequest(url(t.org.slug), "PATCH", { name: "Pwned" }),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(404);
    const unknown = await PATCH(
      jsonRequest(url("nope-org"), "PATCH", { name: "X1" }),
      routeArgs({ org: "nope-org" }),
    );
    expect(unknown.status).toBe(404);
    expect((await orgRow(t.org.id))?.name).toBe("Acme");
  });

  it.each([
    [{ name: 7 }, "name"],
    [{}, "name"],
    [{ slug: "api" }, "slug"],
    [{ slug: "Has Spaces" }, "slug"],
  ])("rejects %j with a field message and writes nothing", async (body, field) => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await PATCH(jsonRequest(url(t.org.slug), "PATCH", body), routeArgs({ org: t.org.slug }));
    expect(res.status).toBe(422);
    expect((await errorOf(res)).fieldErrors?.[field]?.length).toBeGreaterThan(0);
    expect(await orgRow(t.org.id)).toMatchObject({ name: "Acme", slug: t.org.slug });
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("rejects malformed JSON with 400", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await PATCH(
      jsonRequest(url(t.org.slug), "PATCH", '{"name": '),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(400);
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("answers 409 for a slug another organization has, and writes no audit entry", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await PATCH(
      jsonRequest(url(t.org.slug), "PATCH", { slug: t.otherOrg.slug }),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(409);
    expect((await errorOf(res)).fieldErrors?.slug).toBeDefined();
    expect((await orgRow(t.org.id))?.slug).toBe(t.org.slug);
    expect(await auditCount(t.org.id)).toBe(0);
  });
});

describe("DELETE /api/orgs/[org]", () => {
  it("lets the owner delete with the typed slug; members, audit rows and all go with it", async () => {
    const t = await createTeam();
    actAs(t.owner);
    await PATCH(jsonRequest(url(t.org.slug), "PATCH", { name: "Audited" }), routeArgs({ org: t.org.slug }));
    expect(await auditCount(t.org.id)).toBe(1);
    const res = await DELETE(
      jsonRequest(url(t.org.slug), "DELETE", { confirm: t.org.slug }),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(204);
    expect(await orgRow(t.org.id)).toBeUndefined();
    expect(await rowCount(memberships, eq(memberships.orgId, t.org.id))).toBe(0);
    expect(await auditCount(t.org.id)).toBe(0);
    expect(await orgRow(t.otherOrg.id)).toBeDefined();
  });

  it("answers 403 to an admin (only owners delete)", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const res = await DELETE(
      jsonRequest(url(t.org.slug), "DELETE", { confirm: t.org.slug }),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(403);
    expect(await orgRow(t.org.id)).toBeDefined();
  });

  it("answers 404 to a user of another organization and for an unknown slug", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    const res = await DELETE(
      jsonRequest(url(t.org.slug), "DELETE", { confirm: t.org.slug }),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(404);
    const unknown = await DELETE(
      jsonRequest(url("ghost-org"), "DELETE", { confirm: "ghost-org" }),
      routeArgs({ org: "ghost-org" }),
    );
    expect(unknown.status).toBe(404);
    expect(await orgRow(t.org.id)).toBeDefined();
  });

  it.each([
    [{ confirm: "wrong" }, 422],
    [{ confirm: 1 }, 422],
    [{}, 422],
    ["not json", 400],
  ])("refuses a missing or wrong confirmation (%j) and deletes nothing", async (body, status) => {
    const t = await createTeam();
    actAs(t.owner);
    const res = await DELETE(jsonRequest(url(t.org.slug), "DELETE", body), routeArgs({ org: t.org.slug }));
    expect(res.status).toBe(status);
    if (status === 422) expect((await errorOf(res)).fieldErrors?.confirm?.length).toBeGreaterThan(0);
    expect(await orgRow(t.org.id)).toBeDefined();
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { actAs } from "@/tests/support/session";
import { GET } from "./route";

type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;

const get = (org: string, query = "") =>
  GET(new Request(`http://localhost/api/orgs/${org}/audit${query}`), { params: Promise.resolve({ org }) });

beforeEach(async () => {
  t = await createTeam();
  actAs(null);
  const db = await getDb();
  await db.insert(auditLogs).values([
    {
      orgId: t.org.id,
      action: "project.create",
      actorEmail: "ada@example.test",
      targetType: "project",
      targetId: "p1",
      ip: "192.0.2.1",
      userAgent: "=cmd|' /C calc'!A0",
      metadata: { name: "Website, the one" },
      createdAt: new Date("2026-03-01T10:00:00Z"),
    },
    {
      orgId: t.org.id,
      action: "member.remove",
      actorEmail: "bob@example.test",
      createdAt: new Date("2026-03-05T10:00:00Z"),
    },
    {
      orgId: t.otherOrg.id,
      action: "project.create",
      actorEmail: "spy@example.test",
      createdAt: new Date("2026-03-01T11:00:00Z"),
    },
  ]);
});

describe("GET /api/orgs/[org]/audit", () => {
  it.each(["", "?format=csv"])("answers 401 without a session (%s)", async (query) => {
    expect((await get(t.org.slug, query)).status).toBe(401);
  });

  it.each(["", "?format=csv"])("answers 404 for an unknown organization (%s)", async (query) => {
    actAs(t.owner);
    expect((await get("no-such-org", query)).status).toBe(404);
  });

  it.each(["", "?format=csv"])("answers 404 to a user of another organization (%s)", async (query) => {
    actAs(t.outsider);
    const res = await get(t.org.slug, query);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("ada@example.test");
  });

  it.each(["", "?format=csv"])("answers 403 to a member and to a viewer (%s)", async (query) => {
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      const res = await get(t.org.slug, query);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
  });

  it("returns this organization's entries, newest first, with a null cursor at the end", async () => {
    actAs(t.admin);
    const res = await get(t.org.slug);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.nextCursor).toBeNull();
    expect(body.entries.map((e: { actorEmail: string }) => e.actorEmail)).toEqual([
      "bob@example.test",
      "ada@example.test",
    ]);
    expect(body.entries[1]).toMatchObject({
      action: "project.create",
      targetType: "project",
      targetId: "p1",
      ip: "192.0.2.1",
      createdAt: "2026-03-01T10:00:00.000Z",
    });
  });

  it("applies the filters", async () => {
    actAs(t.owner);
    const actions = async (query: string) =>
      (await (await get(t.org.slug, query)).json()).entries.map((e: { action: string }) => e.action);
    expect(await actions("?action=member.remove")).toEqual(["member.remove"]);
    expect(await actions("?actor=ADA")).toEqual(["project.create"]);
    expect(await actions("?from=2026-03-02&to=2026-03-31")).toEqual(["member.remove"]);
    expect(await actions("?to=2026-03-01")).toEqual(["project.create"]);
    expect(await actions("?actor=spy")).toEqual([]);
  });

  it("answers 422 with a message per bad parameter", async () => {
    actAs(t.owner);
    const res = await get(t.org.slug, "?from=2026-13-01&to=soon&action=nope&cursor=%%%");
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["action", "cursor", "from", "to"]);
    expect(error.fieldErrors.from[0]).toMatch(/real date/);

    const reversed = await get(t.org.slug, "?from=2026-03-05&to=2026-03-01");
    expect(reversed.status).toBe(422);
    expect((await reversed.json()).error.fieldErrors.to[0]).toMatch(/on or after/);
    expect((await get(t.org.slug, "?format=csv&from=bad")).status).toBe(422);
  });

  it("exports CSV as an attachment, honouring the filters and defusing formulas", async () => {
    actAs(t.admin);
    const res = await get(t.org.slug, "?format=csv&action=project.create");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="audit-${t.org.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const lines = (await res.text()).trimEnd().split("\n");
    expect(lines[0]).toBe("time,actor_email,action,target_type,target_id,ip,user_agent,metadata");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      `2026-03-01T10:00:00.000Z,ada@example.test,project.create,project,p1,192.0.2.1,'=cmd|' /C calc'!A0,"{""name"":""Website, the one""}"`,
    );
  });

  it("exports every matching entry, not just the first page", async () => {
    const db = await getDb();
    await db.insert(auditLogs).values(
      Array.from({ length: 1_204 }, (_, i) => ({
        orgId: t.org.id,
        action: "org.update",
        actorEmail: `u${i}@example.test`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      })),
    );
    actAs(t.admin);
    const csv = await (await get(t.org.slug, "?format=csv&action=org.update")).text();
    const rows = csv.trimEnd().split("\n");
    expect(rows).toHaveLength(1 + 1_204);
    expect(rows.filter((r) => r.startsWith("time,"))).toHaveLength(1);
    expect(new Set(rows).size).toBe(rows.length);
  });
});

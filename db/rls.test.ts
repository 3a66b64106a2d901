import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { asUser, getDb, withTenant } from "@/db";
import { auditLogs, memberships, organizations, projects } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";

describe("row-level security (second layer, without the app's org filter)", () => {
  it("hides another organization's rows from the app role", async () => {
    const t = await createTeam();
    const db = await getDb();
    await db.insert(projects).values([
      { orgId: t.org.id, name: "Mine", slug: "mine" },
      { orgId: t.otherOrg.id, name: "Theirs", slug: "theirs" },
    ]);
    // No WHERE org_id: only RLS stands between the query and the other org's rows.
    const seen = await withTenant({ orgId: t.org.id, userId: t.owner.id }, (tx) =>
      tx.select().from(projects),
    );
    expect(seen.map((p) => p.name)).toEqual(["Mine"]);
    const members = await withTenant({ orgId: t.org.id }, (tx) => tx.select().from(memberships));
    expect(members.every((m) => m.orgId === t.org.id)).toBe(true);
    expect(members).toHaveLength(4);
  });

  it("refuses writes into another organization", async () => {
    const t = await createTeam();
    await expect(
      withTenant({ orgId: t.org.id }, (tx) =>
        tx.insert(auditLogs).values({ orgId: t.otherOrg.id, action: "org.update" }),
      ),
    ).rejects.toThrow();
    const updated = await withTenant({ orgId: t.org.id }, (tx) =>
      tx.update(organizations).set({ name: "pwned" }).where(eq(organizations.id, t.otherOrg.id)).returning(),
    );
    expect(updated).toHaveLength(0);
  });

  it("shows a user only their own memberships and organizations outside an org scope", async () => {
    const t = await createTeam();
    const orgs = await asUser(t.viewer.id, (tx) => tx.select().from(organizations));
    expect(orgs.map((o) => o.id)).toEqual([t.org.id]);
    const none = await asUser(null, (tx) => tx.select().from(projects));
    expect(none).toHaveLength(0);
  });

  it("runs app queries as a role that is not a superuser", async () => {
    const t = await createTeam();
    const [row] = await withTenant({ orgId: t.org.id }, async (tx) => {
      const r = await tx.execute(
        sql`select current_user as u, (select rolsuper from pg_roles where rolname = current_user) as su`,
      );
      return (r as unknown as { rows?: unknown[] }).rows ?? (r as unknown as unknown[]);
    });
    expect(row).toMatchObject({ u: "dm_app", su: false });
  });
});

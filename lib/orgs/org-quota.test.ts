import { count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, withTenant } from "@/db";
import { mcpServers } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { assertOrgQuota } from "./org-quota";

beforeAll(async () => {
  await getDb();
});

describe("assertOrgQuota", () => {
  it("lets only one of two overlapping transactions take the last place", async () => {
    const t = await createTeam();
    const quota = {
      orgId: t.org.id,
      table: mcpServers,
      orgColumn: mcpServers.orgId,
      max: 1,
      what: "MCP servers",
    };
    // Each checks, then waits before inserting, so without the lock both would see an empty org.
    const take = (name: string) =>
      withTenant({ orgId: t.org.id, userId: t.owner.id }, async (tx) => {
        await assertOrgQuota(tx, quota);
        await tx.execute(sql`select pg_sleep(0.3)`);
        await tx.insert(mcpServers).values({ orgId: t.org.id, name, url: "https://mcp.example.com/mcp" });
      });
    const results = await Promise.allSettled([take("a"), take("b")]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "conflict" });
    expect(String(rejected.reason.message)).toContain("at most 1 MCP servers");
    const db = await getDb();
    const [row] = await db.select({ n: count() }).from(mcpServers).where(eq(mcpServers.orgId, t.org.id));
    expect(row?.n).toBe(1);
    // The lock is per organization: another one is not held up or counted.
    await withTenant({ orgId: t.otherOrg.id, userId: t.outsider.id }, (tx) =>
      assertOrgQuota(tx, { ...quota, orgId: t.otherOrg.id }),
    );
  });
});

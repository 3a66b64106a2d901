import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { memberships } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { addMember, createTeam } from "@/tests/support/factories";
import { changeMemberRole } from "./change-member-role";
import { leaveOrganization } from "./remove-member";

const meta = { ip: null, userAgent: "vitest" };

async function ownersOf(orgId: string) {
  const db = await getDb();
  return db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
}

describe("an organization always keeps an owner", () => {
  it("when two owners demote each other at the same time, one change wins and the other is a conflict", async () => {
    const t = await createTeam();
    const second = await addMember(t.org.id, "owner");
    const [ownerCtx, secondCtx] = await Promise.all([
      resolveOrgContext(t.owner, t.org.slug, "members.manage", meta),
      resolveOrgContext(second, t.org.slug, "members.manage", meta),
    ]);
    const owners = await ownersOf(t.org.id);
    const a = owners.find((r) => r.userId === t.owner.id)?.id ?? "";
    const b = owners.find((r) => r.userId === second.id)?.id ?? "";
    const results = await Promise.allSettled([
      changeMemberRole(ownerCtx, { memberId: b, role: "admin" }),
      changeMemberRole(secondCtx, { memberId: a, role: "admin" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    expect((rejected as PromiseRejectedResult).reason.code).toBe("conflict");
    expect(await ownersOf(t.org.id)).toHaveLength(1);
  });

  it("when both owners leave at the same time, one stays", async () => {
    const t = await createTeam();
    const second = await addMember(t.org.id, "owner");
    const contexts = await Promise.all([
      resolveOrgContext(t.owner, t.org.slug, "org.read", meta),
      resolveOrgContext(second, t.org.slug, "org.read", meta),
    ]);
    const results = await Promise.allSettled(contexts.map((ctx) => leaveOrganization(ctx)));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await ownersOf(t.org.id)).toHaveLength(1);
  });
});

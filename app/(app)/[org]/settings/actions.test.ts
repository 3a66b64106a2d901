import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { organizations } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { auditCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { deleteOrganizationAction, updateOrganizationAction } from "./actions";

async function orgRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row;
}

describe("updateOrganizationAction", () => {
  it("renames and changes the slug for an admin, audited", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const slug = `${t.org.slug}-2`;
    const result = await updateOrganizationAction(t.org.slug, { name: "Acme Two", slug });
    expect(result).toEqual({ ok: true, data: { id: t.org.id, name: "Acme Two", slug } });
    expect(await auditCount(t.org.id, "org.update")).toBe(1);
  });

  it("is forbidden to a member and a viewer", async () => {
    const t = await createTeam();
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      const result = await updateOrganizationAction(t.org.slug, { name: "Nope" });
      expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect((await orgRow(t.org.id))?.name).toBe("Acme");
  });

  it("is not found for another organization's user and an unknown slug", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    expect(await updateOrganizationAction(t.org.slug, { name: "Mine now" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await updateOrganizationAction("does-not-exist", { name: "Mine now" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect((await orgRow(t.org.id))?.name).toBe("Acme");
  });

  it("returns field errors for bad input and writes nothing", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const result = await updateOrganizationAction(t.org.slug, { name: "x", slug: "new" });
    expect(result).toMatchObject({ ok: false, error: { code: "validation" } });
    if (result.ok) return;
    expect(result.error.fieldErrors?.name).toBeDefined();
    expect(result.error.fieldErrors?.slug?.[0]).toMatch(/reserved/);
    expect(await updateOrganizationAction(t.org.slug, { name: 5 })).toMatchObject({ ok: false });
    expect(await orgRow(t.org.id)).toMatchObject({ name: "Acme", slug: t.org.slug });
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("does not audit a save that changes nothing", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const result = await updateOrganizationAction(t.org.slug, { name: "Acme", slug: t.org.slug });
    expect(result.ok).toBe(true);
    expect(await auditCount(t.org.id)).toBe(0);
  });
});

describe("deleteOrganizationAction", () => {
  it("deletes the organization for its owner with the typed slug", async () => {
    const t = await createTeam();
    actAs(t.owner);
    expect(await deleteOrganizationAction(t.org.slug, { confirm: t.org.slug })).toEqual({
      ok: true,
      data: undefined,
    });
    expect(await orgRow(t.org.id)).toBeUndefined();
  });

  it("is forbidden to an admin", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const result = await deleteOrganizationAction(t.org.slug, { confirm: t.org.slug });
    expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await orgRow(t.org.id)).toBeDefined();
  });

  it("is not found for another organization's user and an unknown slug", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    expect(await deleteOrganizationAction(t.org.slug, { confirm: t.org.slug })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await deleteOrganizationAction("not-a-real-org", { confirm: "x" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await orgRow(t.org.id)).toBeDefined();
  });

  it("refuses a wrong or missing confirmation with a field error", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const wrong = await deleteOrganizationAction(t.org.slug, { confirm: t.org.name });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: "validation", fieldErrors: { confirm: [`Type ${t.org.slug} to confirm.`] } },
    });
    const missing = await deleteOrganizationAction(t.org.slug, {});
    expect(missing).toMatchObject({ ok: false, error: { code: "validation" } });
    expect(await orgRow(t.org.id)).toBeDefined();
  });
});

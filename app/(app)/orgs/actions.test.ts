import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, organizations } from "@/db/schema";
import { createTeam, createUser } from "@/tests/support/factories";
import { auditCount, rowCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { createOrganizationAction } from "./actions";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

// Creating an organization is not scoped to one, so there is no other-org (404) or role (403) case.
describe("createOrganizationAction", () => {
  it("creates the organization from a form with the user as owner", async () => {
    const user = await createUser();
    actAs(user);
    const slug = `form-${Math.random().toString(36).slice(2, 8)}`;
    const result = await createOrganizationAction(form({ name: "Form Org", slug }));
    expect(result).toMatchObject({ ok: true, data: { name: "Form Org", slug, role: "owner" } });
    if (!result.ok) return;
    expect(await auditCount(result.data.id, "org.create")).toBe(1);
    expect(await rowCount(memberships, eq(memberships.userId, user.id))).toBe(1);
  });

  it("treats a blank slug as 'suggest one from the name'", async () => {
    actAs(await createUser());
    const result = await createOrganizationAction(form({ name: "Blank Slug Co", slug: "" }));
    expect(result.ok && result.data.slug.startsWith("blank-slug-co")).toBe(true);
  });

  it("returns field errors for bad input and writes nothing", async () => {
    const user = await createUser();
    actAs(user);
    const before = await rowCount(organizations);
    const result = await createOrganizationAction(form({ name: "A", slug: "sign-in" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation");
    expect(result.error.fieldErrors?.name?.[0]).toMatch(/at least 2/);
    expect(result.error.fieldErrors?.slug?.[0]).toMatch(/reserved/);
    const wrongType = await createOrganizationAction({ name: ["x"] });
    expect(wrongType.ok).toBe(false);
    expect(await rowCount(organizations)).toBe(before);
    expect(await rowCount(memberships, eq(memberships.userId, user.id))).toBe(0);
  });

  it("reports a taken slug as a conflict on the slug field", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    const result = await createOrganizationAction(form({ name: "Again", slug: t.org.slug }));
    expect(result).toMatchObject({
      ok: false,
      error: { code: "conflict", fieldErrors: { slug: [expect.any(String)] } },
    });
  });

  it("needs a signed-in user", async () => {
    actAs(null);
    const result = await createOrganizationAction(form({ name: "Nobody's" }));
    expect(result).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });
});

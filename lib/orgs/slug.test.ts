import { describe, expect, it } from "vitest";
import { orgSlugSchema } from "./schemas";
import { isReservedSlug, slugWithSuffix, suggestSlug } from "./slug";

describe("organization slugs", () => {
  it("suggests a URL-safe slug from a name", () => {
    expect(suggestSlug("Acme Labs, Inc.")).toBe("acme-labs-inc");
    expect(suggestSlug("  Crème Brûlée  ")).toBe("creme-brulee");
    expect(suggestSlug("Settings")).toBe("settings-org");
    expect(suggestSlug("!!")).toBe("org-org");
    expect(suggestSlug("x".repeat(80))).toHaveLength(48);
  });

  it("every suggestion and suffixed variant passes the slug schema", () => {
    for (const name of ["A b", "Über GmbH", "API", "sign in", "---", "x".repeat(80), "a-".repeat(40)]) {
      expect(orgSlugSchema.safeParse(suggestSlug(name)).success).toBe(true);
      expect(orgSlugSchema.safeParse(slugWithSuffix(suggestSlug(name))).success).toBe(true);
    }
  });

  it("reserves the top-level routes", () => {
    for (const word of ["api", "orgs", "invite", "sign-in", "sign-up", "settings", "_next", "favicon.ico"]) {
      expect(isReservedSlug(word)).toBe(true);
    }
    expect(isReservedSlug("acme")).toBe(false);
    expect(orgSlugSchema.safeParse("Billing").success).toBe(false);
  });

  it("accepts lowercase letters, digits and inner hyphens, 2–48 characters", () => {
    expect(orgSlugSchema.parse(" Acme-2 ")).toBe("acme-2");
    for (const bad of ["a", "-acme", "acme-", "ac--me", "ac_me", "x".repeat(49)]) {
      expect(orgSlugSchema.safeParse(bad).success).toBe(false);
    }
  });
});

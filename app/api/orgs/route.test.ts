import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, organizations } from "@/db/schema";
import { createTeam, createUser } from "@/tests/support/factories";
import { auditCount, errorOf, jsonRequest, routeArgs, rowCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { GET, POST } from "./route";

const args = routeArgs({});
const uniqueSlug = () => `team-${Math.random().toString(36).slice(2, 8)}`;

describe("GET /api/orgs", () => {
  it("lists only the signed-in user's organizations, with their role", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    const res = await GET(jsonRequest("/api/orgs", "GET"), args);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { organizations: { id: string; role: string }[] };
    expect(body.organizations).toEqual([expect.objectContaining({ id: t.org.id, role: "viewer" })]);
  });

  it("needs a signed-in user", async () => {
    actAs(null);
    const res = await GET(jsonRequest("/api/orgs", "GET"), args);
    expect(res.status).toBe(401);
  });
});

describe("POST /api/orgs", () => {
  it("creates the organization with the creator as owner, audited in the new organization", async () => {
    const user = await createUser();
    actAs(user);
    const slug = uniqueSlug();
    const res = await POST(jsonRequest("/api/orgs", "POST", { name: "  New Team ", slug }), args);
    expect(res.status).toBe(201);
    const { organization } = (await res.json()) as {
      organization: { id: string; slug: string; name: string };
    };
    expect(organization).toMatchObject({ name: "New Team", slug, role: "owner" });
    expect(await rowCount(memberships, eq(memberships.orgId, organization.id))).toBe(1);
    expect(await auditCount(organization.id, "org.create")).toBe(1);
    expect(await auditCount(organization.id, "member.join")).toBe(1);
  });

  it("suggests the slug from the name and avoids a taken one", async () => {
    const user = await createUser();
    actAs(user);
    const name = `Zeta ${Math.random().toString(36).slice(2, 8)}`;
    const first = await POST(jsonRequest("/api/orgs", "POST", { name }), args);
    const second = await POST(jsonRequest("/api/orgs", "POST", { name }), args);
    const a = ((await first.json()) as { organization: { slug: string } }).organization.slug;
    const b = ((await second.json()) as { organization: { slug: string } }).organization.slug;
    expect(a).toBe(name.toLowerCase().replace(" ", "-"));
    expect(b).toMatch(new RegExp(`^${a}-[a-z0-9]{4}$`));
  });

  it("answers 409 with a field error for a taken slug, writing nothing", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    const before = await rowCount(organizations);
    const res = await POST(jsonRequest("/api/orgs", "POST", { name: "Copycat", slug: t.org.slug }), args);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).fieldErrors?.slug?.[0]).toMatch(/taken/);
    expect(await rowCount(organizations)).toBe(before);
  });

  it.each([
    [{ name: "Reserved", slug: "settings" }, "slug", /reserved/],
    [{ name: "Bad slug", slug: "-nope-" }, "slug", /lowercase/],
    [{ name: "X" }, "name", /at least 2/],
    [{ name: 42 }, "name", /name/],
    [{ slug: "only-slug" }, "name", /name/],
    [{ name: "x".repeat(65) }, "name", /at most 64/],
  ])("rejects %j with a field message and writes nothing", async (body, field, message) => {
    const user = await createUser();
    actAs(user);
    const before = await rowCount(organizations);
    const res = await POST(jsonRequest("/api/orgs", "POST", body), args);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).fieldErrors?.[field]?.[0]).toMatch(message);
    expect(await rowCount(organizations)).toBe(before);
    expect(await rowCount(memberships, eq(memberships.userId, user.id))).toBe(0);
  });

  it("rejects malformed JSON and non-JSON bodies", async () => {
    const user = await createUser();
    actAs(user);
    const before = await rowCount(organizations);
    expect((await POST(jsonRequest("/api/orgs", "POST", "{name:"), args)).status).toBe(400);
    const plain = new Request("http://localhost/api/orgs", {
      method: "POST",
      headers: { origin: "http://localhost" },
      body: "name=x",
    });
    expect((await POST(plain, args)).status).toBe(415);
    expect(await rowCount(organizations)).toBe(before);
  });

  it("needs a signed-in user", async () => {
    actAs(null);
    const res = await POST(jsonRequest("/api/orgs", "POST", { name: "Anon" }), args);
    expect(res.status).toBe(401);
  });
});

import { describe, expect, it } from "vitest";
import { createTeam } from "@/tests/support/factories";
import { jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { GET } from "./route";

describe("GET /api/orgs/[org]/members", () => {
  it("lists the organization's members, highest role first, to any member", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    const res = await GET(
      jsonRequest(`/api/orgs/${t.org.slug}/members`, "GET"),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(200);
    const { members } = (await res.json()) as { members: { userId: string; role: string; email: string }[] };
    expect(members.map((m) => m.role)).toEqual(["owner", "admin", "member", "viewer"]);
    expect(members.map((m) => m.userId)).not.toContain(t.outsider.id);
    expect(members[0]).toMatchObject({ userId: t.owner.id, email: t.owner.email });
  });

  it("answers 404 to a user of another organization and for an unknown slug", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    const res = await GET(
      jsonRequest(`/api/orgs/${t.org.slug}/members`, "GET"),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(404);
    actAs(t.owner);
    const unknown = await GET(jsonRequest("/api/orgs/nobody/members", "GET"), routeArgs({ org: "nobody" }));
    expect(unknown.status).toBe(404);
  });
});

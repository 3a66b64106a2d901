import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as getOne, PUT } from "@/app/api/orgs/[org]/agents/[slug]/route";
import { GET as list, POST } from "@/app/api/orgs/[org]/agents/route";
import { getDb, withTenant } from "@/db";
import { agentVersions } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { auditCount, errorOf, jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { listBuiltinAgents } from "./catalog";
import { loadAgentCatalog } from "./org-agents";

const base = (slug: string) => `/api/orgs/${slug}/agents`;
const clone = { from: "system-architect", definition: { slug: "our-architect", name: "Our Architect" } };

describe("organization agents", () => {
  it("lists built-ins, clones one, edits it into new versions and archives it, audited", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    const all = await (
      await list(jsonRequest(base(t.org.slug), "GET"), routeArgs({ org: t.org.slug }))
    ).json();
    expect(all.agents.length).toBe(listBuiltinAgents().length);
    const filtered = await (
      await list(
        jsonRequest(`${base(t.org.slug)}?category=build&q=review`, "GET"),
        routeArgs({ org: t.org.slug }),
      )
    ).json();
    expect(filtered.agents.map((a: { slug: string }) => a.slug)).toContain("code-reviewer");
    expect(filtered.agents.every((a: { category: string }) => a.category === "build")).toBe(true);

    actAs(t.admin);
    const created = await POST(jsonRequest(base(t.org.slug), "POST", clone), routeArgs({ org: t.org.slug }));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      slug: "our-architect",
      version: 1,
      source: "organization",
      basedOn: "system-architect",
    });
    expect(
      (await POST(jsonRequest(base(t.org.slug), "POST", clone), routeArgs({ org: t.org.slug }))).status,
    ).toBe(409);

    const args = routeArgs({ org: t.org.slug, slug: "our-architect" });
    const edited = await PUT(
      jsonRequest(`${base(t.org.slug)}/our-architect`, "PUT", { modelTier: "fast", modelId: "gpt-5-mini" }),
      args,
    );
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({
      version: 2,
      modelTier: "fast",
      definition: { modelId: "gpt-5-mini" },
    });
    const bad = await PUT(
      jsonRequest(`${base(t.org.slug)}/our-architect`, "PUT", { systemPrompt: "too short" }),
      args,
    );
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).fieldErrors?.systemPrompt).toBeDefined();

    const catalog = await withTenant({ orgId: t.org.id }, (tx) => loadAgentCatalog(tx, t.org.id));
    expect(catalog.get("our-architect")?.version).toBe(2);
    const archived = await PUT(
      jsonRequest(`${base(t.org.slug)}/our-architect`, "PUT", { archived: true }),
      args,
    );
    expect((await archived.json()).versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const after = await withTenant({ orgId: t.org.id }, (tx) => loadAgentCatalog(tx, t.org.id));
    expect(after.has("our-architect")).toBe(false);
    expect(await auditCount(t.org.id, "agent.create")).toBe(1);
    expect(await auditCount(t.org.id, "agent.update")).toBe(2);
    actAs(t.viewer);
    expect((await getOne(jsonRequest(`${base(t.org.slug)}/our-architect`, "GET"), args)).status).toBe(200);
  });

  it("answers 404 to another organization and 403 to members and viewers on changes", async () => {
    const t = await createTeam();
    const args = routeArgs({ org: t.org.slug, slug: "system-architect" });
    actAs(t.outsider);
    expect((await list(jsonRequest(base(t.org.slug), "GET"), routeArgs({ org: t.org.slug }))).status).toBe(
      404,
    );
    expect((await getOne(jsonRequest(`${base(t.org.slug)}/system-architect`, "GET"), args)).status).toBe(404);
    expect(
      (await POST(jsonRequest(base(t.org.slug), "POST", clone), routeArgs({ org: t.org.slug }))).status,
    ).toBe(404);
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect(
        (await POST(jsonRequest(base(t.org.slug), "POST", clone), routeArgs({ org: t.org.slug }))).status,
      ).toBe(403);
      expect(
        (await PUT(jsonRequest(`${base(t.org.slug)}/system-architect`, "PUT", { modelTier: "fast" }), args))
          .status,
      ).toBe(403);
    }
    const db = await getDb();
    expect(await db.select().from(agentVersions).where(eq(agentVersions.orgId, t.org.id))).toEqual([]);
    expect(await auditCount(t.org.id)).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/orgs/[org]/knowledge/search/route";
import { withTenant } from "@/db";
import { limiterFor } from "@/lib/rate-limit";
import { POLICIES } from "@/lib/rate-limit/policies";
import { createTeam } from "@/tests/support/factories";
import { errorOf, jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import { saveTextDocument } from "./save-text-document";
import type { KnowledgeSearchResult } from "./types";

async function save(orgId: string, projectId: string | null, key: string, text: string) {
  return withTenant({ orgId }, (tx) =>
    saveTextDocument(tx, { orgId, projectId, source: "upload", key, title: key, text, format: "text" }),
  );
}

const search = (org: string, params: string) =>
  GET(jsonRequest(`/api/orgs/${org}/knowledge/search?${params}`, "GET"), routeArgs({ org }));

describe("GET /api/orgs/[org]/knowledge/search", () => {
  it("lets a viewer search a project (with the organization's documents) or the organization", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const other = await createProjectRow(t.org.id);
    const orgDoc = await save(t.org.id, null, "standards", "Capybara naming standard for services.");
    const projectDoc = await save(t.org.id, project.id, "notes", "Capybara service notes of this project.");
    await save(t.org.id, other.id, "elsewhere", "Capybara notes of another project.");
    actAs(t.viewer);
    const res = await search(t.org.slug, `q=capybara&project=${project.slug}&limit=5`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as KnowledgeSearchResult;
    expect(body.mode).toBe("text");
    expect(body.note).toMatch(/No embedding model/);
    expect(body.hits.map((h) => h.documentId).sort()).toEqual([orgDoc.id, projectDoc.id].sort());
    expect(body.hits[0]?.snippet).toContain("«Capybara»");
    expect(body.hits[0]?.citation).toMatch(/, line 1$/);

    const orgOnly = (await (
      await search(t.org.slug, "q=capybara&source=upload,insight")
    ).json()) as KnowledgeSearchResult;
    expect(orgOnly.hits.map((h) => h.documentId)).toEqual([orgDoc.id]);
    const insightsOnly = (await (
      await search(t.org.slug, "q=capybara&source=insight")
    ).json()) as KnowledgeSearchResult;
    expect(insightsOnly.hits).toEqual([]);
  });

  it("hides the organization from outsiders and another organization's projects from members", async () => {
    const t = await createTeam();
    const theirs = await createProjectRow(t.otherOrg.id);
    await save(t.otherOrg.id, theirs.id, "secret", "Axolotl launch plan.");
    await save(t.otherOrg.id, null, "secret-org", "Axolotl launch plan for everyone there.");
    actAs(t.outsider);
    expect((await search(t.org.slug, "q=axolotl")).status).toBe(404);
    actAs(null);
    expect((await search(t.org.slug, "q=axolotl")).status).toBe(401);
    actAs(t.member);
    const cross = await search(t.org.slug, `q=axolotl&project=${theirs.slug}`);
    expect(cross.status).toBe(404);
    expect((await errorOf(cross)).message).toBe("Project not found.");
    expect((await search(t.org.slug, "q=axolotl&project=no-such-project")).status).toBe(404);
    const own = (await (await search(t.org.slug, "q=axolotl")).json()) as KnowledgeSearchResult;
    expect(own.hits).toEqual([]);
  });

  it("answers invalid parameters with 422 and a message per field", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    const fields = async (params: string) => {
      const res = await search(t.org.slug, params);
      expect(res.status).toBe(422);
      return (await errorOf(res)).fieldErrors ?? {};
    };
    expect(await fields("")).toHaveProperty("q");
    expect(await fields("q=%20%20")).toEqual({ q: ["Enter something to search for."] });
    expect(await fields(`q=${"x".repeat(501)}`)).toEqual({ q: ["At most 500 characters."] });
    expect(await fields("q=ok&limit=abc")).toHaveProperty("limit");
    expect(await fields("q=ok&limit=0")).toEqual({ limit: ["At least 1."] });
    expect(await fields("q=ok&limit=2.5")).toEqual({ limit: ["Must be a whole number."] });
    expect(await fields("q=ok&limit=51")).toEqual({ limit: ["At most 50."] });
    expect(Object.keys(await fields("q=ok&source=upload,email"))).toEqual(["source.1"]);
    expect((await search(t.org.slug, "q=ok&limit=&project=&source=")).status).toBe(200);
    expect((await search(t.org.slug, "q=a%00b")).status).toBe(400);
  });

  it("is rate-limited per user", async () => {
    const t = await createTeam();
    actAs(t.viewer);
    const policy = POLICIES["knowledge.search.user"];
    await (await limiterFor("knowledge.search.user")).penalty(t.viewer.id, policy.points);
    const res = await search(t.org.slug, "q=anything");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeTruthy();
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DELETE, PATCH } from "@/app/api/orgs/[org]/knowledge/insights/[id]/route";
import { GET, POST } from "@/app/api/orgs/[org]/knowledge/insights/route";
import { getDb, withTenant } from "@/db";
import { knowledgeChunks, knowledgeDocuments, projects, runTasks } from "@/db/schema";
import type { KnowledgeInsightView } from "@/lib/knowledge/types";
import { createTeam } from "@/tests/support/factories";
import { auditCount, errorOf, jsonRequest, routeArgs, rowCount } from "@/tests/support/org-helpers";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import { saveInsightDocument } from "./save-insight";
import { saveTextDocument } from "./save-text-document";
import { searchKnowledge } from "./search";

const base = (org: string) => `/api/orgs/${org}/knowledge/insights`;
const list = async (org: string, project?: string) => {
  const res = await GET(
    jsonRequest(`${base(org)}${project ? `?project=${project}` : ""}`, "GET"),
    routeArgs({ org }),
  );
  return { status: res.status, insights: ((await res.json()).insights ?? []) as KnowledgeInsightView[] };
};
const post = (org: string, body: unknown) => POST(jsonRequest(base(org), "POST", body), routeArgs({ org }));
const patch = (org: string, id: string, body: unknown) =>
  PATCH(jsonRequest(`${base(org)}/${id}`, "PATCH", body), routeArgs({ org, id }));
const remove = (org: string, id: string) =>
  DELETE(jsonRequest(`${base(org)}/${id}`, "DELETE"), routeArgs({ org, id }));

describe("insights", () => {
  it("members add, edit and remove insights of a project or the organization, audited and searchable", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const otherProject = await createProjectRow(t.org.id);
    actAs(t.member);
    const created = await post(t.org.slug, {
      project: project.slug,
      title: "Pagination is cursor-based",
      body: "  Every list endpoint pages with an opaque cursor, never offsets.\r\n",
      tags: ["API", "api", "conventions"],
    });
    expect(created.status).toBe(201);
    const { insight } = (await created.json()) as { insight: KnowledgeInsightView };
    expect(insight).toMatchObject({
      projectId: project.id,
      title: "Pagination is cursor-based",
      body: "Every list endpoint pages with an opaque cursor, never offsets.",
      tags: ["api", "conventions"],
      runId: null,
      runNumber: null,
      createdBy: { id: t.member.id, email: t.member.email },
    });
    const orgWide = await post(t.org.slug, { title: "We deploy on Fridays", body: "Never on Mondays." });
    expect(orgWide.status).toBe(201);

    actAs(t.viewer);
    expect((await list(t.org.slug, project.slug)).insights.map((i) => i.id)).toEqual([insight.id]);
    expect((await list(t.org.slug)).insights.map((i) => i.title)).toEqual(["We deploy on Fridays"]);
    expect((await list(t.org.slug, otherProject.slug)).insights).toEqual([]);
    expect((await list(t.org.slug, "no-such-project")).status).toBe(404);

    // Searchable in the project, not in another one.
    const found = await searchKnowledge({ orgId: t.org.id, projectId: project.id }, { query: "cursor" });
    expect(found.hits.map((h) => h.documentId)).toEqual([insight.id]);
    const elsewhere = await searchKnowledge(
      { orgId: t.org.id, projectId: otherProject.id },
      { query: "cursor" },
    );
    expect(elsewhere.hits).toEqual([]);

    actAs(t.member);
    const edited = await patch(t.org.slug, insight.id, {
      body: "Every list endpoint pages with a keyset cursor.",
    });
    expect(edited.status).toBe(200);
    expect((await edited.json()).insight).toMatchObject({
      body: "Every list endpoint pages with a keyset cursor.",
      title: "Pagination is cursor-based",
    });
    const [doc] = await (await getDb())
      .select()
      .from(knowledgeDocuments)
      .where(eq(knowledgeDocuments.id, insight.id));
    expect(doc?.currentVersion).toBe(2);
    expect(
      (await searchKnowledge({ orgId: t.org.id, projectId: project.id }, { query: "keyset" })).hits,
    ).toHaveLength(1);
    expect(
      (await searchKnowledge({ orgId: t.org.id, projectId: project.id }, { query: "offsets" })).hits,
    ).toEqual([]);
    const retitled = await patch(t.org.slug, insight.id, {
      title: "Pagination uses keyset cursors",
      tags: [],
    });
    expect((await retitled.json()).insight).toMatchObject({
      title: "Pagination uses keyset cursors",
      tags: [],
    });

    expect((await remove(t.org.slug, insight.id)).status).toBe(204);
    expect(await rowCount(knowledgeDocuments, eq(knowledgeDocuments.id, insight.id))).toBe(0);
    expect(await rowCount(knowledgeChunks, eq(knowledgeChunks.documentId, insight.id))).toBe(0);
    expect((await remove(t.org.slug, insight.id)).status).toBe(404);
    expect(await auditCount(t.org.id, "knowledge_insight.add")).toBe(2);
    expect(await auditCount(t.org.id, "knowledge_insight.update")).toBe(2);
    expect(await auditCount(t.org.id, "knowledge_insight.delete")).toBe(1);
  });

  it("shows an agent's insight with its run number, task key and agent, and lets a member edit it", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const run = await createRunRow(t.org.id, project.id, { number: 7 });
    const db = await getDb();
    const [task] = await db
      .insert(runTasks)
      .values({
        orgId: t.org.id,
        runId: run.id,
        key: "architecture-overview",
        phaseKey: "architecture",
        title: "Write the overview",
        agentSlug: "system-architect",
        position: 0,
      })
      .returning();
    const saved = await withTenant({ orgId: t.org.id }, (tx) =>
      saveInsightDocument(tx, {
        orgId: t.org.id,
        projectId: project.id,
        key: "insight:derived-1",
        title: "Tenancy is row-level",
        body: "Every table carries org_id under RLS.",
        runId: run.id,
        taskId: task?.id,
        agentSlug: "system-architect",
      }),
    );
    actAs(t.viewer);
    const [view] = (await list(t.org.slug, project.slug)).insights;
    expect(view).toMatchObject({
      id: saved.id,
      runId: run.id,
      runNumber: 7,
      taskKey: "architecture-overview",
      agentSlug: "system-architect",
      createdBy: null,
    });
    actAs(t.member);
    const edited = await patch(t.org.slug, saved.id, {
      body: "Every table carries org_id under RLS, tested.",
    });
    expect((await edited.json()).insight).toMatchObject({ runNumber: 7, agentSlug: "system-architect" });
  });

  it("refuses bad input with field messages and changes nothing", async () => {
    const t = await createTeam();
    actAs(t.member);
    const bad = await post(t.org.slug, { title: "x", body: "   ", tags: Array(9).fill("t"), extra: 1 });
    expect(bad.status).toBe(422);
    const fields = (await errorOf(bad)).fieldErrors ?? {};
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(["title", "body", "tags"]));
    expect((await post(t.org.slug, { title: "Long enough", body: "x".repeat(4_001) })).status).toBe(422);
    expect((await post(t.org.slug, { project: "nope", title: "Long enough", body: "Fine." })).status).toBe(
      404,
    );
    const ok = await post(t.org.slug, { title: "Long enough", body: "Fine." });
    const { insight } = (await ok.json()) as { insight: KnowledgeInsightView };
    expect((await patch(t.org.slug, insight.id, {})).status).toBe(422);
    expect((await patch(t.org.slug, insight.id, { title: "" })).status).toBe(422);
    expect((await patch(t.org.slug, "not-a-uuid", { title: "Good title" })).status).toBe(404);
    expect((await (await list(t.org.slug)).insights).map((i) => i.title)).toEqual(["Long enough"]);
    expect(await auditCount(t.org.id, "knowledge_insight.update")).toBe(0);
  });

  it("refuses with 409 to edit or remove an insight of an archived project, and changes nothing", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    actAs(t.member);
    const { insight } = (await (
      await post(t.org.slug, { project: project.slug, title: "Kept as is", body: "An old lesson." })
    ).json()) as { insight: KnowledgeInsightView };
    const db = await getDb();
    await db.update(projects).set({ status: "archived" }).where(eq(projects.id, project.id));
    const edited = await patch(t.org.slug, insight.id, { title: "Changed" });
    expect(edited.status).toBe(409);
    expect((await errorOf(edited)).message).toBe(
      "This project is archived. Unarchive it before changing its knowledge.",
    );
    expect((await remove(t.org.slug, insight.id)).status).toBe(409);
    const [doc] = await db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.id, insight.id));
    expect(doc?.title).toBe("Kept as is");
    expect(await auditCount(t.org.id, "knowledge_insight.update")).toBe(0);
    expect(await auditCount(t.org.id, "knowledge_insight.delete")).toBe(0);
    // Unarchived, it can be changed again.
    await db.update(projects).set({ status: "active" }).where(eq(projects.id, project.id));
    expect((await patch(t.org.slug, insight.id, { title: "Changed" })).status).toBe(200);
  });

  it("answers 404 to another organization and 403 to viewers on changes; uploads are not insights", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    actAs(t.member);
    const { insight } = (await (
      await post(t.org.slug, { project: project.slug, title: "Ours alone", body: "A secret lesson." })
    ).json()) as { insight: KnowledgeInsightView };

    // An outsider: our organization does not exist for them, and our ids are not found in theirs.
    actAs(t.outsider);
    expect((await list(t.org.slug, project.slug)).status).toBe(404);
    expect((await post(t.org.slug, { title: "Injected", body: "Nope." })).status).toBe(404);
    expect((await patch(t.org.slug, insight.id, { title: "Hijacked" })).status).toBe(404);
    expect((await remove(t.org.slug, insight.id)).status).toBe(404);
    expect((await patch(t.otherOrg.slug, insight.id, { title: "Hijacked" })).status).toBe(404);
    expect((await remove(t.otherOrg.slug, insight.id)).status).toBe(404);
    expect((await list(t.otherOrg.slug, project.slug)).status).toBe(404);
    expect((await list(t.otherOrg.slug)).insights).toEqual([]);

    actAs(t.viewer);
    expect((await post(t.org.slug, { title: "Viewer's", body: "Cannot." })).status).toBe(403);
    expect((await patch(t.org.slug, insight.id, { title: "Viewer's" })).status).toBe(403);
    expect((await remove(t.org.slug, insight.id)).status).toBe(403);

    // An uploaded document is not removed or edited through the insights routes.
    const upload = await withTenant({ orgId: t.org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: t.org.id,
        projectId: null,
        source: "upload",
        key: "upload:x",
        title: "Standards",
        text: "Use Postgres.",
        format: "markdown",
      }),
    );
    actAs(t.member);
    expect((await remove(t.org.slug, upload.id)).status).toBe(404);
    expect((await patch(t.org.slug, upload.id, { title: "Renamed" })).status).toBe(404);

    const [doc] = await (await getDb())
      .select()
      .from(knowledgeDocuments)
      .where(eq(knowledgeDocuments.id, insight.id));
    expect(doc?.title).toBe("Ours alone");
    expect(await auditCount(t.org.id, "knowledge_insight.add")).toBe(1);
    expect(await auditCount(t.org.id, "knowledge_insight.update")).toBe(0);
    expect(await auditCount(t.org.id, "knowledge_insight.delete")).toBe(0);
    expect(await auditCount(t.otherOrg.id)).toBe(0);
  });
});

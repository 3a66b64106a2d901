import { and, eq } from "drizzle-orm";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { knowledgeChunks, knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import { MAX_UPLOAD_BYTES } from "@/lib/knowledge/limits";
import { failStuckDocument, processDocument } from "@/lib/knowledge/process-document";
import { searchKnowledge } from "@/lib/knowledge/search";
import { sweepStuckDocuments } from "@/lib/knowledge/sweep-stuck-documents";
import type { KnowledgeDocumentView } from "@/lib/knowledge/types";
import { limiterFor } from "@/lib/rate-limit";
import { POLICIES } from "@/lib/rate-limit/policies";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { auditCount, errorOf, jsonRequest, routeArgs, rowCount } from "@/tests/support/org-helpers";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import * as itemRoute from "./[id]/route";
import * as listRoute from "./route";

const sent = vi.hoisted(() => ({ events: [] as { name: string; data: Record<string, unknown> }[] }));
vi.mock("@/inngest/client", () => ({
  inngest: {
    send: async (e: unknown) => {
      for (const one of Array.isArray(e) ? e : [e]) sent.events.push(one as (typeof sent.events)[number]);
      return { ids: [] };
    },
  },
}));

type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;
let project: Awaited<ReturnType<typeof createProjectRow>>;

const base = (org: string) => `/api/orgs/${org}/knowledge/documents`;

function uploadRequest(
  org: string,
  fields: Record<string, string | File>,
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return new Request(`http://localhost${base(org)}`, {
    method: "POST",
    headers: { "user-agent": "vitest", origin: "http://localhost", ...headers },
    body: form,
  });
}

const md = (name: string, text: string) => new File([text], name, { type: "text/markdown" });

async function upload(fields: Record<string, string | File>, org = t.org.slug) {
  return listRoute.POST(uploadRequest(org, fields), routeArgs({ org }));
}

async function uploaded(fields: Record<string, string | File>): Promise<KnowledgeDocumentView> {
  const res = await upload(fields);
  expect(res.status).toBe(201);
  return (await res.json()).document;
}

function item(method: string, id: string, opts: { body?: unknown; project?: string; org?: string } = {}) {
  const org = opts.org ?? t.org.slug;
  const q = opts.project ? `?project=${opts.project}` : "";
  const handler = { GET: itemRoute.GET, PATCH: itemRoute.PATCH, DELETE: itemRoute.DELETE }[method];
  if (!handler) throw new Error(method);
  const body = method === "GET" || method === "DELETE" ? undefined : opts.body;
  return handler(jsonRequest(`${base(org)}/${id}${q}`, method, body), routeArgs({ org, id }));
}

const list = (query = "", org = t.org.slug) =>
  listRoute.GET(jsonRequest(`${base(org)}${query}`, "GET"), routeArgs({ org }));

async function docRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.id, id));
  return row;
}

async function processNewest(id: string) {
  const row = await docRow(id);
  const db = await getDb();
  const versions = await db
    .select({ version: knowledgeDocumentVersions.version })
    .from(knowledgeDocumentVersions)
    .where(eq(knowledgeDocumentVersions.documentId, id));
  const version = Math.max(...versions.map((v) => v.version));
  return processDocument({ orgId: row?.orgId ?? "", documentId: id, version });
}

beforeEach(async () => {
  t = await createTeam();
  project = await createProjectRow(t.org.id);
  sent.events.length = 0;
  actAs(t.member);
});

describe("POST /knowledge/documents", () => {
  it("stores an upload as processing, audits it, announces it; processing makes it ready and searchable", async () => {
    const doc = await uploaded({
      file: md("deploy-guide.md", "# Deploy\n\nRoll back with `ship rollback --to previous`.\n"),
      project: project.slug,
      tags: "Ops, runbook, ops",
    });
    expect(doc).toMatchObject({
      title: "deploy-guide",
      source: "upload",
      status: "processing",
      projectId: project.id,
      tags: ["ops", "runbook"],
      fileName: "deploy-guide.md",
      currentVersion: 1,
      createdBy: { id: t.member.id },
    });
    expect(await auditCount(t.org.id, "knowledge_document.upload")).toBe(1);
    expect(sent.events).toEqual([
      expect.objectContaining({
        name: "knowledge/document.uploaded",
        data: { orgId: t.org.id, documentId: doc.id, version: 1 },
      }),
    ]);

    expect(await processNewest(doc.id)).toEqual({ outcome: "ready", chunks: 1 });
    // Twice is the same as once: one set of chunks.
    expect(await processNewest(doc.id)).toEqual({ outcome: "skipped", why: "done" });
    expect(await rowCount(knowledgeChunks, eq(knowledgeChunks.documentId, doc.id))).toBe(1);
    const db = await getDb();
    const [version] = await db
      .select()
      .from(knowledgeDocumentVersions)
      .where(eq(knowledgeDocumentVersions.documentId, doc.id));
    expect(version?.raw).toBeNull();
    expect(version?.text).toContain("ship rollback");

    const hits = (await searchKnowledge({ orgId: t.org.id, projectId: project.id }, { query: "rollback" }))
      .hits;
    expect(hits.map((h) => [h.documentId, h.heading])).toEqual([[doc.id, "Deploy"]]);
    // Not in the organization's own scope, nor in another org.
    expect((await searchKnowledge({ orgId: t.org.id, projectId: null }, { query: "rollback" })).hits).toEqual(
      [],
    );
    expect(
      (await searchKnowledge({ orgId: t.otherOrg.id, projectId: null }, { query: "rollback" })).hits,
    ).toEqual([]);

    const res = await item("GET", doc.id, { project: project.slug });
    expect(res.status).toBe(200);
    const { document } = await res.json();
    expect(document).toMatchObject({ status: "ready", chunkCount: 1, versions: [{ version: 1 }] });
  });

  it("indexes a PDF with the page of each chunk", async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage().drawText("Alpha page about canaries.", { x: 40, y: 700, size: 12, font });
    pdf.addPage().drawText("Beta page about feature flags.", { x: 40, y: 700, size: 12, font });
    const bytes = await pdf.save();
    const doc = await uploaded({
      file: new File([bytes as BlobPart], "flags.pdf", { type: "application/pdf" }),
    });
    expect(await processNewest(doc.id)).toEqual({ outcome: "ready", chunks: 2 });
    const hits = (await searchKnowledge({ orgId: t.org.id, projectId: null }, { query: "flags" })).hits;
    expect(hits.map((h) => h.page)).toEqual([2]);
  });

  it("fails a document whose content is refused, with the reason, and does not retry it", async () => {
    const doc = await uploaded({ file: new File([new Uint8Array([0x61, 0, 0x62])], "notes.txt") });
    expect(await processNewest(doc.id)).toEqual({
      outcome: "failed",
      reason: expect.stringMatching(/binary/),
    });
    expect(await docRow(doc.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/binary/) });
    expect(await processNewest(doc.id)).toMatchObject({ outcome: "failed" });
    // The reason is kept; the refused bytes are not.
    const db = await getDb();
    const [version] = await db
      .select({ raw: knowledgeDocumentVersions.raw })
      .from(knowledgeDocumentVersions)
      .where(eq(knowledgeDocumentVersions.documentId, doc.id));
    expect(version?.raw).toBeNull();
    const { documents } = await (await list()).json();
    expect(documents[0]).toMatchObject({ id: doc.id, status: "failed", error: expect.stringMatching(/NUL/) });
  });

  it("refuses an upload past the organization's quota (documents, bytes), changing nothing", async () => {
    const doc = await uploaded({ file: md("a.md", "first text") });
    setTestEnv({ KNOWLEDGE_MAX_DOCUMENTS_PER_ORG: "1", KNOWLEDGE_MAX_BYTES_PER_ORG: "20" });
    try {
      const before = await rowCount(knowledgeDocuments, eq(knowledgeDocuments.orgId, t.org.id));
      const audits = await auditCount(t.org.id);
      const over = await upload({ file: md("b.md", "second") });
      expect(over.status).toBe(409);
      expect((await errorOf(over)).message).toMatch(/limit of 1 uploaded documents.*Delete documents/);
      // A new version is not a new document, but its bytes count: 10 stored + 11 > 20.
      const big = await upload({ file: md("a.md", "second text"), documentId: doc.id });
      expect(big.status).toBe(409);
      expect((await errorOf(big)).message).toMatch(
        /limited to 20 bytes and 10 bytes is used: delete documents/,
      );
      expect(await rowCount(knowledgeDocuments, eq(knowledgeDocuments.orgId, t.org.id))).toBe(before);
      expect(
        await rowCount(knowledgeDocumentVersions, eq(knowledgeDocumentVersions.documentId, doc.id)),
      ).toBe(1);
      expect(await auditCount(t.org.id)).toBe(audits);
      expect(sent.events).toHaveLength(1);
      // Within the quota, a new version is stored.
      expect((await upload({ file: md("a.md", "short"), documentId: doc.id })).status).toBe(201);
      // Another organization has its own quota.
      const other = await createTeam();
      actAs(other.member);
      expect((await upload({ file: md("c.md", "text") }, other.org.slug)).status).toBe(201);
    } finally {
      setTestEnv({ KNOWLEDGE_MAX_DOCUMENTS_PER_ORG: undefined, KNOWLEDGE_MAX_BYTES_PER_ORG: undefined });
    }
  });

  it("is rate-limited per user", async () => {
    const policy = POLICIES["knowledge.upload.user"];
    await (await limiterFor("knowledge.upload.user")).penalty(t.member.id, policy.points);
    const res = await upload({ file: md("a.md", "text") });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect(await rowCount(knowledgeDocuments, eq(knowledgeDocuments.orgId, t.org.id))).toBe(0);
  });

  it("strips bidi overrides and zero-width characters from file names, titles and tags", async () => {
    const doc = await uploaded({
      file: md("invoice\u202Egnp.md", "text"),
      tags: "o\u200Bps, \u2066team\u2069",
    });
    expect(doc.title).toBe("invoicegnp");
    expect(doc.tags).toEqual(["ops", "team"]);
    const db = await getDb();
    const [version] = await db
      .select({ fileName: knowledgeDocumentVersions.fileName })
      .from(knowledgeDocumentVersions)
      .where(eq(knowledgeDocumentVersions.documentId, doc.id));
    expect(version?.fileName).toBe("invoicegnp.md");
    const renamed = await item("PATCH", doc.id, { body: { title: "Q3\u200F \uFEFFplan" } });
    expect((await renamed.json()).document.title).toBe("Q3 plan");
  });

  it("indexes a Markdown file of 1,000 nested list levels as plain text", async () => {
    const text = Array.from({ length: 1000 }, (_, i) => `${"  ".repeat(i)}- a`).join("\n");
    const doc = await uploaded({ file: md("deep.md", text) });
    expect(await processNewest(doc.id)).toMatchObject({ outcome: "ready" });
    expect(await docRow(doc.id)).toMatchObject({ status: "ready" });
  });

  it("a stale run's failure handler leaves a newer version processing, which then becomes ready", async () => {
    const doc = await uploaded({ file: md("a.md", "first text about apples") });
    await uploaded({ file: md("a.md", "second text about bananas"), documentId: doc.id });
    expect(
      await failStuckDocument({ orgId: t.org.id, documentId: doc.id, version: 1 }, "internal error"),
    ).toBe(false);
    expect(await docRow(doc.id)).toMatchObject({ status: "processing", error: null });
    expect(await processNewest(doc.id)).toMatchObject({ outcome: "ready" });
    expect(await docRow(doc.id)).toMatchObject({ status: "ready", currentVersion: 2 });
    // The newest version's own handler still fails a stuck document.
    const other = await uploaded({ file: md("b.md", "stuck") });
    expect(
      await failStuckDocument({ orgId: t.org.id, documentId: other.id, version: 1 }, "internal error"),
    ).toBe(true);
  });

  it("versions a re-upload; the same bytes change nothing; a stale version is skipped", async () => {
    const doc = await uploaded({ file: md("a.md", "first text about apples") });
    await processNewest(doc.id);
    sent.events.length = 0;
    const same = await uploaded({ file: md("a.md", "first text about apples"), documentId: doc.id });
    expect(same).toMatchObject({ id: doc.id, currentVersion: 1, status: "ready" });
    expect(sent.events).toEqual([]);
    expect(await rowCount(knowledgeDocumentVersions, eq(knowledgeDocumentVersions.documentId, doc.id))).toBe(
      1,
    );

    const v2 = await uploaded({ file: md("a.md", "second text about bananas"), documentId: doc.id });
    expect(v2).toMatchObject({ id: doc.id, status: "processing" });
    const v3 = await uploaded({ file: md("a.md", "third text about cherries"), documentId: doc.id });
    expect(sent.events.map((e) => e.data.version)).toEqual([2, 3]);
    expect(await processDocument({ orgId: t.org.id, documentId: doc.id, version: 2 })).toEqual({
      outcome: "skipped",
      why: "stale",
    });
    expect(await processNewest(v3.id)).toMatchObject({ outcome: "ready" });
    const scope = { orgId: t.org.id, projectId: null };
    expect((await searchKnowledge(scope, { query: "cherries" })).hits).toHaveLength(1);
    expect((await searchKnowledge(scope, { query: "apples" })).hits).toHaveLength(0);
    expect(await docRow(doc.id)).toMatchObject({ currentVersion: 3, status: "ready" });
  });

  it("refuses bad input with field messages and stores nothing", async () => {
    const before = await rowCount(knowledgeDocuments, eq(knowledgeDocuments.orgId, t.org.id));
    const cases: [Record<string, string | File>, number, string][] = [
      [{}, 422, "file"],
      [{ file: md("x.exe", "MZ") }, 422, "file"],
      [{ file: md("empty.md", "") }, 422, "file"],
      [{ file: md("a.md", "x"), title: "t".repeat(201) }, 422, "title"],
      [{ file: md("a.md", "x"), tags: Array.from({ length: 13 }, (_, i) => `t${i}`).join(",") }, 422, "tags"],
      [{ file: md("a.md", "x"), tags: "x".repeat(41) }, 422, "tags"],
      [{ file: md("a.md", "x"), documentId: "nope" }, 422, "documentId"],
    ];
    for (const [fields, status, field] of cases) {
      const res = await upload(fields);
      expect(res.status, field).toBe(status);
      expect(Object.keys((await errorOf(res)).fieldErrors ?? {}).join(",")).toContain(field);
    }
    expect((await upload({ file: md("a.md", "x"), project: "no-such-project" })).status).toBe(404);
    const archived = await createProjectRow(t.org.id, { status: "archived" });
    expect((await upload({ file: md("a.md", "x"), project: archived.slug })).status).toBe(409);
    // JSON is not an upload.
    expect(
      (await listRoute.POST(jsonRequest(base(t.org.slug), "POST", {}), routeArgs({ org: t.org.slug })))
        .status,
    ).toBe(415);
    // Over the cap by Content-Length, before reading the body.
    const big = uploadRequest(
      t.org.slug,
      { file: md("a.md", "x") },
      { "content-length": String(MAX_UPLOAD_BYTES * 2) },
    );
    expect((await listRoute.POST(big, routeArgs({ org: t.org.slug }))).status).toBe(413);
    expect(await rowCount(knowledgeDocuments, eq(knowledgeDocuments.orgId, t.org.id))).toBe(before);
    expect(await auditCount(t.org.id, "knowledge_document.upload")).toBe(0);
  });

  it("refuses a new version of another scope's document", async () => {
    const doc = await uploaded({ file: md("a.md", "project words"), project: project.slug });
    expect((await upload({ file: md("a.md", "other words"), documentId: doc.id })).status).toBe(404);
    expect(
      (await upload({ file: md("a.md", "other words"), documentId: doc.id }, t.otherOrg.slug)).status,
    ).toBe(404);
  });
});

describe("documents: list, get, update, delete", () => {
  it("lists a scope's documents newest first, filtered by source and q", async () => {
    const a = await uploaded({ file: md("alpha.md", "a"), tags: "green" });
    const b = await uploaded({ file: md("beta.md", "b") });
    await uploaded({ file: md("gamma.md", "c"), project: project.slug });
    actAs(t.viewer);
    const ids = async (q: string) =>
      ((await (await list(q)).json()).documents as KnowledgeDocumentView[]).map((d) => d.id);
    expect(await ids("")).toEqual([b.id, a.id]);
    expect(await ids("?q=alp")).toEqual([a.id]);
    expect(await ids("?q=green")).toEqual([a.id]);
    expect(await ids("?q=%25")).toEqual([]);
    expect(await ids("?source=repository")).toEqual([]);
    expect(await ids(`?project=${project.slug}`)).toHaveLength(1);
    expect((await list("?source=nope")).status).toBe(422);
    expect((await list("?project=missing")).status).toBe(404);
  });

  it("renames, re-tags and deletes (every version and chunk), audited", async () => {
    const doc = await uploaded({ file: md("a.md", "kiwi facts"), project: project.slug });
    await processNewest(doc.id);
    await uploaded({ file: md("a.md", "kiwi facts, revised"), project: project.slug, documentId: doc.id });
    await processNewest(doc.id);
    const res = await item("PATCH", doc.id, {
      project: project.slug,
      body: { title: " Kiwi ", tags: ["Fruit"] },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).document).toMatchObject({ title: "Kiwi", tags: ["fruit"] });
    expect((await item("PATCH", doc.id, { project: project.slug, body: {} })).status).toBe(422);
    expect((await item("PATCH", doc.id, { project: project.slug, body: { title: "" } })).status).toBe(422);
    expect(await auditCount(t.org.id, "knowledge_document.update")).toBe(1);

    const del = await item("DELETE", doc.id, { project: project.slug });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ deleted: true, id: doc.id });
    expect(await docRow(doc.id)).toBeUndefined();
    expect(await rowCount(knowledgeDocumentVersions, eq(knowledgeDocumentVersions.documentId, doc.id))).toBe(
      0,
    );
    expect(await rowCount(knowledgeChunks, eq(knowledgeChunks.documentId, doc.id))).toBe(0);
    expect(await auditCount(t.org.id, "knowledge_document.delete")).toBe(1);
    expect((await item("GET", doc.id, { project: project.slug })).status).toBe(404);
  });

  it("answers 404 from another organization or scope and 403 to a viewer's writes, changing nothing", async () => {
    const doc = await uploaded({ file: md("a.md", "secret words"), project: project.slug });
    const other = await createProjectRow(t.org.id);
    const snapshot = async () => ({
      row: await docRow(doc.id),
      audit: await auditCount(t.org.id),
    });
    const before = await snapshot();
    actAs(t.outsider);
    for (const method of ["GET", "PATCH", "DELETE"]) {
      expect((await item(method, doc.id, { project: project.slug, body: { title: "x" } })).status).toBe(404);
      expect(
        (await item(method, doc.id, { org: t.otherOrg.slug, project: project.slug, body: { title: "x" } }))
          .status,
      ).toBe(404);
    }
    expect((await list(`?project=${project.slug}`)).status).toBe(404);
    expect((await upload({ file: md("a.md", "x") })).status).toBe(404);
    actAs(t.member);
    for (const method of ["GET", "PATCH", "DELETE"]) {
      // The wrong scope: the organization's own, or another project.
      expect((await item(method, doc.id, { body: { title: "x" } })).status).toBe(404);
      expect((await item(method, doc.id, { project: other.slug, body: { title: "x" } })).status).toBe(404);
    }
    actAs(t.viewer);
    expect((await item("GET", doc.id, { project: project.slug })).status).toBe(200);
    for (const method of ["PATCH", "DELETE"]) {
      expect((await item(method, doc.id, { project: project.slug, body: { title: "x" } })).status).toBe(403);
    }
    expect((await upload({ file: md("a.md", "x") })).status).toBe(403);
    actAs(null);
    expect((await list()).status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });
});

describe("stuck documents", () => {
  it("re-announces a document processing for minutes and fails one stuck for an hour", async () => {
    const a = await uploaded({ file: md("a.md", "a") });
    const b = await uploaded({ file: md("b.md", "b") });
    const db = await getDb();
    await db
      .update(knowledgeDocuments)
      .set({ updatedAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(knowledgeDocuments.id, a.id));
    await db
      .update(knowledgeDocuments)
      .set({ updatedAt: new Date(Date.now() - 2 * 3_600_000) })
      .where(and(eq(knowledgeDocuments.id, b.id)));
    sent.events.length = 0;
    const client = {
      send: async (e: unknown) => {
        sent.events.push(...(e as typeof sent.events));
        return { ids: [] };
      },
    };
    const result = await sweepStuckDocuments(client as never);
    expect(sent.events.filter((e) => e.data.documentId === a.id)).toHaveLength(1);
    expect(result.failed).toBeGreaterThanOrEqual(1);
    expect(await docRow(b.id)).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/upload the file again/),
    });
    expect(await docRow(a.id)).toMatchObject({ status: "processing" });
  });
});

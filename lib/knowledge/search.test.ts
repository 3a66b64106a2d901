import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, withTenant } from "@/db";
import { knowledgeChunks, knowledgeDocuments } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { citeChunk } from "./citation";
import { fuseRankings } from "./fuse";
import { rankByText } from "./rank-by-text";
import { saveTextDocument } from "./save-text-document";
import { NO_VECTORS_NOTE, searchKnowledge } from "./search";
import { highlightSnippet } from "./snippet";

async function save(orgId: string, projectId: string | null, key: string, text: string, title = key) {
  return withTenant({ orgId }, (tx) =>
    saveTextDocument(tx, { orgId, projectId, source: "upload", key, title, text, format: "markdown" }),
  );
}

/** A document in a state search must skip, with one chunk of its current version. */
async function seedUnsearchable(orgId: string, status: "processing" | "failed", text: string) {
  const db = await getDb();
  const [d] = await db
    .insert(knowledgeDocuments)
    .values({
      orgId,
      source: "upload",
      title: `${status} doc`,
      status,
      error: status === "failed" ? "Unreadable PDF" : null,
    })
    .returning();
  if (!d) throw new Error("no document");
  await db.insert(knowledgeChunks).values({
    orgId,
    documentId: d.id,
    version: 1,
    ordinal: 0,
    content: text,
    startOffset: 0,
    endOffset: text.length,
    startLine: 1,
    endLine: 1,
  });
  return d.id;
}

describe("searchKnowledge: scope and tenancy", () => {
  it("returns a project's and its organization's chunks, never another project's or organization's", async () => {
    const { org, otherOrg } = await createTeam();
    const p1 = await createProjectRow(org.id);
    const p2 = await createProjectRow(org.id);
    const orgDoc = await save(org.id, null, "org", "The zanzibar protocol for the whole organization.");
    const p1Doc = await save(org.id, p1.id, "p1", "The zanzibar protocol as project one runs it.");
    const p2Doc = await save(org.id, p2.id, "p2", "The zanzibar protocol as project two runs it.");
    const foreign = await save(otherOrg.id, null, "foreign", "The zanzibar protocol of another company.");

    const docs = async (projectId: string | null, orgId = org.id, query = "zanzibar protocol") =>
      (await searchKnowledge({ orgId, projectId }, { query })).hits.map((h) => h.documentId).sort();
    expect(await docs(p1.id)).toEqual([orgDoc.id, p1Doc.id].sort());
    expect(await docs(p2.id)).toEqual([orgDoc.id, p2Doc.id].sort());
    // Organization scope: only the organization's own documents, no project's.
    expect(await docs(null)).toEqual([orgDoc.id]);
    expect(await docs(null, otherOrg.id)).toEqual([foreign.id]);
    // A typo goes through the trigram list: the same scoping holds there.
    expect(await docs(p1.id, org.id, "zanzibr")).toEqual([orgDoc.id, p1Doc.id].sort());
    // Another organization's project id in the scope finds nothing of it.
    expect(await docs(p1.id, otherOrg.id)).toEqual([foreign.id]);
  });

  it("filters by organization in SQL, not only through row-level security", async () => {
    const { org, otherOrg } = await createTeam();
    await save(org.id, null, "mine", "Quokka deployment checklist.");
    const theirs = await save(otherOrg.id, null, "theirs", "Quokka deployment checklist, theirs.");
    // The owner connection bypasses RLS: it sees both organizations' chunks...
    const db = await getDb();
    const all = await db
      .select({
        id: knowledgeChunks.id,
        orgId: knowledgeChunks.orgId,
        documentId: knowledgeChunks.documentId,
      })
      .from(knowledgeChunks);
    expect(all.some((c) => c.documentId === theirs.id && c.orgId === otherOrg.id)).toBe(true);
    // ...yet the ranking query still returns only the organization it was asked about.
    for (const query of ["quokka deployment", "quokka deploymnt"]) {
      const lists = await rankByText(db, { orgId: org.id, projectId: null, query });
      const ids = [...lists.text, ...lists.trigram];
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.every((id) => all.find((c) => c.id === id)?.orgId === org.id)).toBe(true);
    }
  });

  it("never returns a stale version's chunks, nor a processing or failed document's", async () => {
    const { org } = await createTeam();
    const d = await save(org.id, null, "versioned", "Wombat retention is 30 days.");
    await save(org.id, null, "versioned", "Wombat retention is 45 days.");
    // A leftover chunk of version 1 (e.g. a re-index that died before deleting it).
    const db = await getDb();
    await db.insert(knowledgeChunks).values({
      orgId: org.id,
      documentId: d.id,
      version: 1,
      ordinal: 0,
      content: "Wombat retention is 30 days.",
      startOffset: 0,
      endOffset: 28,
      startLine: 1,
      endLine: 1,
    });
    const processing = await seedUnsearchable(org.id, "processing", "Wombat retention draft.");
    const failed = await seedUnsearchable(org.id, "failed", "Wombat retention scan.");
    for (const query of ["wombat retention", "wombat retenton", "30 days"]) {
      const { hits } = await searchKnowledge({ orgId: org.id, projectId: null }, { query, limit: 50 });
      expect(hits.every((h) => h.documentId === d.id && h.version === 2)).toBe(true);
      expect(hits.map((h) => h.documentId)).not.toContain(processing);
      expect(hits.map((h) => h.documentId)).not.toContain(failed);
    }
    const [leftover] = await db
      .select({ n: knowledgeChunks.id })
      .from(knowledgeChunks)
      .where(and(eq(knowledgeChunks.documentId, d.id), eq(knowledgeChunks.version, 1)));
    expect(leftover).toBeDefined();
  });

  it("filters by source and answers text mode with a note when no embeddings exist", async () => {
    const { org } = await createTeam();
    await save(org.id, null, "upload", "Narwhal escalation policy.");
    const insight = await withTenant({ orgId: org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: org.id,
        projectId: null,
        source: "insight",
        key: "insight:narwhal",
        title: "Narwhal insight",
        text: "Narwhal escalation goes to the platform team.",
        format: "text",
        agentSlug: "system-architect",
      }),
    );
    const result = await searchKnowledge(
      { orgId: org.id, projectId: null },
      { query: "narwhal escalation", sources: ["insight"] },
    );
    expect(result.mode).toBe("text");
    expect(result.note).toBe(NO_VECTORS_NOTE);
    expect(result.hits.map((h) => h.documentId)).toEqual([insight.id]);
    expect(result.hits[0]).toMatchObject({ source: "insight", agentSlug: "system-architect" });
  });
});

describe("searchKnowledge: input, hits and ranking", () => {
  it("refuses an empty, over-long or out-of-range query with field errors", async () => {
    const scope = { orgId: "00000000-0000-4000-8000-000000000000", projectId: null };
    const fieldsOf = async (input: Parameters<typeof searchKnowledge>[1]) => {
      const error = await searchKnowledge(scope, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      return Object.keys((error as AppError).fieldErrors ?? {});
    };
    expect(await fieldsOf({ query: "   " })).toEqual(["query"]);
    expect(await fieldsOf({ query: "x".repeat(501) })).toEqual(["query"]);
    expect(await fieldsOf({ query: "ok", limit: 0 })).toEqual(["limit"]);
    expect(await fieldsOf({ query: "ok", limit: 51 })).toEqual(["limit"]);
    expect(await fieldsOf({ query: "ok", sources: ["nope" as never] })).toEqual(["sources.0"]);
  });

  it("cites each hit, highlights the query's words and ranks deterministically", async () => {
    const { org } = await createTeam();
    const text =
      "# Deployment guide\n\n## Rollback\n\nRun `deployctl rollback` to return to the previous release.\n\nThe <b>rollback</b> keeps «old» pods.\n";
    const d = await save(org.id, null, "guide", text, "Deployment guide");
    await save(org.id, null, "guide", `${text}\nMore.\n`, "Deployment guide");
    const scope = { orgId: org.id, projectId: null };
    const first = await searchKnowledge(scope, { query: "deployctl rollback" });
    const again = await searchKnowledge(scope, { query: "deployctl rollback" });
    expect(again.hits.map((h) => h.chunkId)).toEqual(first.hits.map((h) => h.chunkId));
    const top = first.hits[0];
    expect(top).toMatchObject({ documentId: d.id, version: 2, title: "Deployment guide" });
    expect(top?.ranks.text).toBe(1);
    expect(top?.snippet).toContain("«deployctl» «rollback»");
    expect(top?.citation).toMatch(/^Deployment guide(?: › Rollback)?, lines? \d+(?:–\d+)? \(v2\)$/);
    const html = first.hits.find((h) => h.content.includes("<b>"));
    expect(html?.snippet).toContain("The <b>«rollback»</b> keeps ‹old› pods.");
    // Scores fall (or tie, broken by rank then id) down the list.
    const scores = first.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});

describe("fuseRankings, citeChunk and highlightSnippet", () => {
  it("fuses by reciprocal rank with k = 60 and breaks ties on the best rank, then the id", () => {
    const fused = fuseRankings({ text: ["a", "b", "c"], trigram: ["c", "d"], vector: ["b"] });
    expect(fused.map((f) => f.id)).toEqual(["b", "c", "a", "d"]);
    expect(fused[0]).toMatchObject({ ranks: { text: 2, vector: 1 }, score: 1 / 62 + 1 / 61 });
    expect(fuseRankings({ text: ["y"], trigram: ["x"] }).map((f) => f.id)).toEqual(["x", "y"]);
    expect(fuseRankings({ text: ["z", "y"], trigram: ["x"] }).map((f) => f.id)).toEqual(["x", "z", "y"]);
  });

  it("cites title, heading, lines, page and version", () => {
    const c = {
      title: "Guide",
      heading: "Setup › Database",
      startLine: 12,
      endLine: 30,
      page: null,
      version: 1,
    };
    expect(citeChunk(c)).toBe("Guide › Setup › Database, lines 12–30");
    expect(citeChunk({ ...c, heading: "Guide › Setup", page: 3, version: 2 })).toBe(
      "Guide › Setup, lines 12–30, p. 3 (v2)",
    );
    expect(citeChunk({ ...c, heading: "", endLine: 12 })).toBe("Guide, line 12");
  });

  it("marks stems, identifiers and typos, and keeps the window around the matches", () => {
    expect(highlightSnippet("We are deploying the deployment now.", "deploy")).toBe(
      "We are «deploying» the «deployment» now.",
    );
    expect(highlightSnippet("Set retry_backoff_ms to 200.", "retry_backoff_ms")).toBe(
      "Set «retry_backoff_ms» to 200.",
    );
    expect(highlightSnippet("Set retry_backoff_ms to 200.", "backoff")).toBe(
      "Set «retry_backoff_ms» to 200.",
    );
    expect(highlightSnippet("Roll back a failed deployment.", "deploymnet")).toBe(
      "Roll back a failed «deployment».",
    );
    const long = `${"filler ".repeat(100)}the needle is here ${"tail ".repeat(100)}`;
    const snippet = highlightSnippet(long, "needle");
    expect(snippet.startsWith("…")).toBe(true);
    expect(snippet.endsWith("…")).toBe(true);
    expect(snippet).toContain("«needle»");
    expect(snippet.length).toBeLessThanOrEqual(290);
    expect(highlightSnippet("Nothing matches.", "zebra")).toBe("Nothing matches.");
  });
});

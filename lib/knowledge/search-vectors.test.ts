import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb, withTenant } from "@/db";
import { knowledgeChunks } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import type { VectorRanking } from "./embeddings/rank-by-vector";
import { saveTextDocument } from "./save-text-document";
import { searchKnowledge } from "./search";

// The vector list as the embeddings module would answer it; what search does with it is real.
const vector = vi.hoisted(() => ({
  answer: async (): Promise<VectorRanking | null> => null,
  calls: [] as { orgId: string; projectId: string | null; queryText: string; limit: number }[],
}));
vi.mock("./embeddings/rank-by-vector", () => ({
  rankByVector: async (_tx: unknown, args: (typeof vector.calls)[number]) => {
    vector.calls.push(args);
    return vector.answer();
  },
}));

async function save(orgId: string, key: string, text: string) {
  return withTenant({ orgId }, (tx) =>
    saveTextDocument(tx, { orgId, projectId: null, source: "upload", key, title: key, text, format: "text" }),
  );
}
const chunkOf = async (documentId: string) => {
  const [c] = await (await getDb())
    .select({ id: knowledgeChunks.id })
    .from(knowledgeChunks)
    .where(eq(knowledgeChunks.documentId, documentId));
  if (!c) throw new Error("no chunk");
  return c.id;
};

describe("searchKnowledge with vectors", () => {
  it("fuses the vector list in hybrid mode, dropping ids outside the scope", async () => {
    const { org, otherOrg } = await createTeam();
    const lexical = await save(org.id, "lexical", "Ocelot cache warming runs nightly.");
    const semantic = await save(org.id, "semantic", "Preloading hot keys before traffic arrives.");
    const foreign = await save(otherOrg.id, "foreign", "Preloading keys, another company.");
    const semanticChunk = await chunkOf(semantic.id);
    const lexicalChunk = await chunkOf(lexical.id);
    const foreignChunk = await chunkOf(foreign.id);
    vector.answer = async () => ({
      ranked: [
        { chunkId: foreignChunk, distance: 0.05 },
        { chunkId: semanticChunk, distance: 0.1 },
        { chunkId: lexicalChunk, distance: 0.2 },
      ],
      note: "3 chunks are still being embedded.",
    });
    const result = await searchKnowledge(
      { orgId: org.id, projectId: null, userId: null },
      { query: "ocelot cache warming" },
    );
    expect(vector.calls.at(-1)).toEqual({
      orgId: org.id,
      projectId: null,
      queryText: "ocelot cache warming",
      limit: 50,
    });
    expect(result.mode).toBe("hybrid");
    expect(result.note).toBe("3 chunks are still being embedded.");
    expect(result.hits.map((h) => h.documentId)).toEqual([lexical.id, semantic.id]);
    expect(result.hits[0]?.ranks).toMatchObject({ text: 1, vector: 2 });
    expect(result.hits[1]?.ranks).toEqual({ vector: 1 });
  });

  it("answers from text with a note when the vector ranking fails", async () => {
    const { org } = await createTeam();
    const d = await save(org.id, "only", "Pangolin release train.");
    vector.answer = async () => {
      throw new Error("provider down");
    };
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await searchKnowledge({ orgId: org.id, projectId: null }, { query: "pangolin" });
    error.mockRestore();
    expect(result.mode).toBe("text");
    expect(result.note).toMatch(/Semantic search is unavailable/);
    expect(result.hits.map((h) => h.documentId)).toEqual([d.id]);
  });
});

import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb, type Tx, withTenant } from "@/db";
import { knowledgeChunks } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { EmbeddingError } from "./embeddings/embed-texts";
import type { RankByVectorResult } from "./embeddings/rank-by-vector";
import { saveTextDocument } from "./save-text-document";
import { searchKnowledge } from "./search";

// The query embedding and the vector list as the embeddings module would answer them (its own
// tests drive the provider and both storage paths); what search does with them is real.
const vector = vi.hoisted(() => ({
  embed: async (): Promise<{ modelId: string; vector: number[] } | null> => ({
    modelId: "test:2",
    vector: [1, 0],
  }),
  answer: async (_tx: Tx): Promise<RankByVectorResult | null> => null,
  calls: [] as {
    orgId: string;
    projectId: string | null;
    queryText: string;
    limit: number;
    query?: unknown;
  }[],
}));
vi.mock("./embeddings/embed-query", () => ({ embedQuery: () => vector.embed() }));
vi.mock("./embeddings/rank-by-vector", () => ({
  rankByVector: async (tx: Tx, args: (typeof vector.calls)[number]) => {
    vector.calls.push(args);
    return vector.answer(tx);
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
      query: { modelId: "test:2", vector: [1, 0] },
    });
    expect(result.mode).toBe("hybrid");
    expect(result.note).toBe("3 chunks are still being embedded.");
    expect(result.hits.map((h) => h.documentId)).toEqual([lexical.id, semantic.id]);
    expect(result.hits[0]?.ranks).toMatchObject({ text: 1, vector: 2 });
    expect(result.hits[1]?.ranks).toEqual({ vector: 1 });
  });

  it("answers from text with a note when there is no model, nothing embedded, or a failure", async () => {
    const { org } = await createTeam();
    const d = await save(org.id, "only", "Pangolin release train.");
    const scope = { orgId: org.id, projectId: null };
    const run = async () => {
      const result = await searchKnowledge(scope, { query: "pangolin" });
      expect(result.mode).toBe("text");
      expect(result.hits.map((h) => h.documentId)).toEqual([d.id]);
      return result.note;
    };
    vector.embed = async () => null;
    expect(await run()).toMatch(/^No embedding model is configured/);
    vector.embed = async () => ({ modelId: "test:2", vector: [1, 0] });
    vector.answer = async () => null;
    expect(await run()).toMatch(/^No document in scope is embedded/);
    vector.embed = async () => {
      throw new EmbeddingError("the provider answered 401", true);
    };
    expect(await run()).toBe(
      "Semantic search was skipped (the provider answered 401); results use full-text and trigram search.",
    );
    // A failing vector statement is contained in its savepoint: the search still answers.
    vector.embed = async () => ({ modelId: "test:2", vector: [1, 0] });
    vector.answer = async (tx) => {
      await tx.execute(sql`select * from no_such_table`);
      return null;
    };
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await run()).toMatch(/^Semantic search is unavailable/);
    error.mockRestore();
  });
});

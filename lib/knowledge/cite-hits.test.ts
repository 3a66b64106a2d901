import { describe, expect, it } from "vitest";
import { AGENT_SEARCH_BUDGET_CHARS, citedPassages } from "./cite-hits";
import { anyOfTerms } from "./query-terms";
import type { KnowledgeHit } from "./types";

const hit = (i: number, content: string): KnowledgeHit => ({
  chunkId: `c${i}`,
  documentId: `d${i}`,
  title: `Doc ${i}`,
  source: "upload",
  projectId: null,
  version: 1,
  ordinal: 0,
  heading: "Intro",
  content,
  snippet: content.slice(0, 50),
  startLine: 1,
  endLine: 4,
  page: null,
  score: 1,
  ranks: { text: i + 1 },
  citation: `Doc ${i} › Intro, lines 1–4`,
  runId: null,
  agentSlug: null,
});

describe("cited passages for agents", () => {
  it("keeps every hit's citation and id, cutting the passages to share the budget", () => {
    const long = "word ".repeat(2_000);
    const out = citedPassages({ hits: Array.from({ length: 8 }, (_, i) => hit(i, long)), mode: "text" });
    expect(out.results.map((r) => r.documentId)).toEqual(["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"]);
    expect(out.results[0]).toMatchObject({
      citation: "Doc 0 › Intro, lines 1–4",
      title: "Doc 0",
      source: "upload",
    });
    const total = out.results.reduce((n, r) => n + r.content.length, 0);
    expect(total).toBeLessThanOrEqual(AGENT_SEARCH_BUDGET_CHARS);
    expect(out.results[0]?.content.endsWith("…")).toBe(true);
    const short = citedPassages({ hits: [hit(0, "Use Postgres.")], mode: "text" });
    expect(short.results[0]?.content).toBe("Use Postgres.");
    expect(short.note).toMatch(/Cite/);
    expect(citedPassages({ hits: [], mode: "text" }).note).toMatch(/Nothing in the knowledge base matches/);
  });

  it("builds an any-of query from a task's distinctive words", () => {
    expect(
      anyOfTerms("Write the technical architecture overview: the architecture, with AI and Postgres 16."),
    ).toBe("technical or architecture or overview or postgres");
    expect(anyOfTerms("a an the of")).toBe("");
    expect(anyOfTerms("one two three four five six seven eight nine", 3).split(" or ")).toHaveLength(3);
  });
});

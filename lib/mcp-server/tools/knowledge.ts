import "server-only";
import { z } from "zod";
import { citedPassages } from "@/lib/knowledge/cite-hits";
import { searchKnowledge } from "@/lib/knowledge/search";
import { findProjectRow } from "@/lib/projects/queries";
import { enforceLimit } from "@/lib/rate-limit/enforce";
import { defineTool } from "../define-tool";
import { projectInput } from "../inputs";

export const searchKnowledgeTool = defineTool({
  name: "search_knowledge",
  title: "Search the knowledge base",
  description:
    "Searches the organization's knowledge (standards, references, uploaded documents, insights, past run outcomes) and answers with cited passages. Name a project to search its knowledge and the organization's; without one, only the organization's own.",
  permission: "knowledge.read",
  readOnly: true,
  input: {
    query: z.string().trim().min(2).max(400).describe("What to look for, in a few specific words."),
    project: projectInput.optional(),
    limit: z.number().int().min(1).max(20).optional().describe("How many passages, 8 when omitted."),
  },
  run: async (ctx, input) => {
    // The HTTP search route's per-user policy: each search may embed the query with the org's provider.
    await enforceLimit("knowledge.search.user", ctx.user.id);
    const projectId = input.project
      ? await ctx.tx(async (tx) => (await findProjectRow(tx, ctx.org.id, input.project ?? "")).id)
      : null;
    const result = await searchKnowledge(
      { orgId: ctx.org.id, projectId, userId: ctx.user.id },
      { query: input.query, limit: input.limit ?? 8 },
    );
    return { ...citedPassages(result, 12_000), ...(result.note ? { searchNote: result.note } : {}) };
  },
});

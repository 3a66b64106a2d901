import { orgRoute } from "@/lib/api/route";
import { searchKnowledgeIn } from "@/lib/knowledge/search-in";
import { searchParamsSchema } from "@/lib/knowledge/search-params";

/**
 * Hybrid search of the organization's knowledge (`project` absent) or a project's (its own and
 * the organization's): `KnowledgeSearchResult` with cited, highlighted hits.
 */
export const GET = orgRoute(
  { permission: "knowledge.read", query: searchParamsSchema, limit: "knowledge.search.user" },
  async ({ ctx, query }) => searchKnowledgeIn(ctx, query),
);

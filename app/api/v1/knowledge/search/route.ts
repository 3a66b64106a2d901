import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { searchKnowledgeIn } from "@/lib/knowledge/search-in";
import { projectSlugOf } from "@/lib/projects/project-ref";

export const GET = v1Route(operations.searchKnowledge, async ({ ctx, query }) =>
  searchKnowledgeIn(ctx, {
    ...query,
    project: query.project ? await projectSlugOf(ctx, query.project) : undefined,
  }),
);

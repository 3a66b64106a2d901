import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import { searchKnowledge } from "./search";
import type { SearchParams } from "./search-params";
import type { KnowledgeSearchResult } from "./types";

/**
 * Search as a member asks it: the project named by its slug in this organization (another
 * organization's or a missing one is 404), or the organization's own knowledge.
 */
export async function searchKnowledgeIn(
  ctx: OrgContext,
  params: SearchParams,
): Promise<KnowledgeSearchResult> {
  const projectId = params.project
    ? (await ctx.tx((tx) => findProjectRow(tx, ctx.org.id, params.project ?? ""))).id
    : null;
  return searchKnowledge(
    { orgId: ctx.org.id, projectId, userId: ctx.user.id },
    { query: params.q, limit: params.limit, sources: params.source },
  );
}

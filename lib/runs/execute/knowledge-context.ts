import { anyOfTerms } from "@/lib/knowledge/query-terms";
import { searchKnowledge } from "@/lib/knowledge/search";
import type { KnowledgeRef } from "@/lib/runs/context";
import type { RunScope } from "./types";

/** How many knowledge references a task's (or a plan's) context carries. */
export const CONTEXT_KNOWLEDGE_ITEMS = 6;

/**
 * The project's knowledge most relevant to `text` (a task's title and description, or the run's
 * goal), as references for the context: one per document, at most CONTEXT_KNOWLEDGE_ITEMS. Called
 * inside the step that prepares the prompt, so a run records it once. Knowledge that cannot be
 * searched leaves the layer out rather than failing the task.
 */
export async function relevantKnowledge(
  scope: RunScope,
  projectId: string,
  text: string,
): Promise<KnowledgeRef[]> {
  const query = anyOfTerms(text);
  if (!query) return [];
  try {
    const { hits } = await searchKnowledge(
      { orgId: scope.orgId, projectId },
      { query, limit: CONTEXT_KNOWLEDGE_ITEMS * 2 },
    );
    const seen = new Set<string>();
    const refs: KnowledgeRef[] = [];
    for (const hit of hits) {
      // The run's own outcome is not knowledge from before (a run that finishes again).
      if (hit.runId === scope.runId && hit.source === "run_outcome") continue;
      if (seen.has(hit.documentId)) continue;
      seen.add(hit.documentId);
      refs.push({
        title: hit.title,
        citation: hit.citation,
        documentId: hit.documentId,
        source: hit.source,
        snippet: hit.snippet || hit.content,
      });
      if (refs.length >= CONTEXT_KNOWLEDGE_ITEMS) break;
    }
    return refs;
  } catch (error) {
    console.error("[runs] knowledge for the context could not be searched", error);
    return [];
  }
}

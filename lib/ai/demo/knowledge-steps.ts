import type { ArtifactKind } from "@/lib/agents/artifact-kinds";
import type { AgentToolInput } from "@/lib/agents/tools";
import { anyOfTerms } from "@/lib/knowledge/query-terms";
import type { ToolOutput } from "./repo-steps";

/**
 * The scripted agents that look up the knowledge base before they write: the architect designs
 * against the organization's standards and the project's references, so it searches first and
 * cites what it found (or says nothing was found).
 */
const SEEKERS = new Set(["system-architect"]);
const SEEKING_KINDS = new Set<ArtifactKind>(["architecture_overview"]);

export function seeksKnowledge(agent: string, kind: ArtifactKind): boolean {
  return SEEKERS.has(agent) || SEEKING_KINDS.has(kind);
}

/** The architect's query: standards, and the distinctive words of the goal and the task. */
export function knowledgeQuery(
  goal: string,
  taskTitle: string | undefined,
): AgentToolInput<"search_knowledge"> {
  const terms = anyOfTerms(`standards ${goal} ${taskTitle ?? ""}`, 10);
  return { query: terms || "standards", scope: "project", limit: 5 };
}

type Cited = { citation: string; title: string; documentId: string };

/** The passages the last `search_knowledge` answered with, or null when it was not called. */
export function foundKnowledge(outputs: readonly ToolOutput[]): Cited[] | null {
  const last = [...outputs].reverse().find((o) => o.toolName === "search_knowledge");
  if (!last) return null;
  const results = (last.output as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return [];
  return results.flatMap((r) => {
    const { citation, title, documentId } = (r ?? {}) as Partial<Cited>;
    return typeof citation === "string" && typeof documentId === "string"
      ? [{ citation, title: typeof title === "string" ? title : citation, documentId }]
      : [];
  });
}

/**
 * Where the document's decisions come from, as the artifact's closing subsection (a level-3
 * heading, so the kind's required level-2 sections stay exactly as its contract lists them).
 */
export function sourcesSection(found: readonly Cited[]): string {
  if (!found.length) {
    return [
      "### Sources",
      "",
      "The knowledge base had nothing on this: no organization standard or project reference was found, so the choices above follow the brief and the inputs named in this document.",
    ].join("\n");
  }
  const seen = new Set<string>();
  const lines = found
    .filter((f) => !seen.has(f.citation) && seen.add(f.citation))
    .map((f) => `- ${f.citation} (knowledge document \`${f.documentId}\`)`);
  return [
    "### Sources",
    "",
    "The organization's standards and the project's references this design follows, from the knowledge base:",
    "",
    ...lines,
  ].join("\n");
}

/** The architect's insight after writing its design: where the decisions are and what they follow. */
export function designInsight(title: string, found: readonly Cited[]): AgentToolInput<"record_insight"> {
  const follows = found.length
    ? `It follows ${[...new Set(found.map((f) => f.citation))].slice(0, 3).join("; ")}.`
    : "No organization standard covered it; its choices follow the brief, so a standard written later should be checked against it.";
  return {
    title: `Architecture decided in «${title}»`.slice(0, 200),
    body: `The components, the stack, the tenancy model and the risks of this project are decided in the architecture overview «${title}»; later work should build on it rather than decide them again. ${follows}`.slice(
      0,
      4000,
    ),
    tags: ["architecture", "decision"],
  };
}

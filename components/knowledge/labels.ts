import type { KnowledgeSource } from "@/db/schema";

export const SOURCE_LABELS: Record<KnowledgeSource, string> = {
  upload: "Upload",
  repository: "Repository",
  insight: "Insight",
  run_outcome: "Run outcome",
};

/** "Ada Lovelace", or the email when there is no name; "an agent" or "a former user" when nobody. */
export function personLabel(
  person: { name: string | null; email: string } | null,
  fallback = "A former user",
): string {
  return person ? (person.name ?? person.email) : fallback;
}

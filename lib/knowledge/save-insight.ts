import type { Tx } from "@/db";
import { saveTextDocument } from "./save-text-document";

export type InsightDocumentInput = {
  orgId: string;
  projectId: string | null;
  /** Finds the insight again: an agent's is derived from its step, so a re-run writes the same one. */
  key: string;
  title: string;
  body: string;
  tags?: string[];
  runId?: string | null;
  taskId?: string | null;
  agentSlug?: string | null;
  userId?: string | null;
};

/**
 * Keeps an insight (an agent's, an IDE agent's or a member's) as a knowledge document of source
 * `insight`: its body is the text searched and offered to later runs. Idempotent by key.
 */
export function saveInsightDocument(tx: Tx, input: InsightDocumentInput) {
  const { body, ...rest } = input;
  return saveTextDocument(tx, { ...rest, source: "insight", text: body, format: "markdown" });
}

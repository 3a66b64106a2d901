import { inngest } from "@/inngest/client";
import { knowledgeEmbeddingsRequested } from "@/inngest/events";

/**
 * Asks the `knowledge-embed` function to embed the organization's chunks that lack an embedding
 * from its current model (after chunks are stored, or when the model changes). Cheap to call
 * often: runs are one at a time per organization and a run with nothing to do ends at once.
 */
export async function requestEmbeddings(orgId: string, reason: string): Promise<void> {
  await inngest.send(knowledgeEmbeddingsRequested.create({ orgId, reason: reason.slice(0, 200) }));
}

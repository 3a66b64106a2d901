import type { Inngest } from "inngest";
import { indexRepository } from "@/lib/knowledge/index-repository";
import { inngest } from "../client";
import { knowledgeEmbeddingsRequested, knowledgeRepositoryChanged } from "../events";

/**
 * Re-indexes a project's docs and READMEs when its default branch moves. One at a time per project
 * (a burst of pushes queues, and each run reads the branch head it finds, so the last one wins).
 */
export function createKnowledgeIndexRepositoryFunction(client: Inngest.Any) {
  return client.createFunction(
    {
      id: "knowledge-index-repository",
      name: "Index a repository's docs",
      retries: 3,
      concurrency: [{ key: "event.data.projectId", limit: 1 }],
      triggers: [knowledgeRepositoryChanged],
    },
    async ({ event, step }) => {
      const { orgId, projectId } = event.data;
      const result = await step.run("index", () => indexRepository({ orgId, projectId }));
      if (result.saved > 0) {
        await step.sendEvent(
          "request-embeddings",
          knowledgeEmbeddingsRequested.create({ orgId, reason: `repository ${projectId}` }),
        );
      }
      return result;
    },
  );
}

export const knowledgeIndexRepository = createKnowledgeIndexRepositoryFunction(inngest);

import { cron, type Inngest } from "inngest";
import {
  EMBED_BATCH_SIZE,
  type EmbedBatchResult,
  embedChunkBatch,
} from "@/lib/knowledge/embeddings/embed-chunk-batch";
import { orgsNeedingEmbeddings } from "@/lib/knowledge/embeddings/orgs-needing-embeddings";
import { recordEmbeddingFailure } from "@/lib/knowledge/embeddings/record-embedding-failure";
import { resolveEmbeddingModel } from "@/lib/knowledge/embeddings/resolve-embedding-model";
import { inngest } from "../client";
import { knowledgeEmbeddingsRequested } from "../events";

export type KnowledgeEmbedOptions = { batchSize?: number; maxBatches?: number };

/**
 * Embeds an organization's chunks that lack an embedding from its current model (new chunks, or
 * all of them after the model changed), one batch per step, until none are left or the run's cap
 * (then it asks for another run). One run at a time per organization: requests that arrive
 * meanwhile queue and find little or nothing to do. No model: nothing happens. A permanent
 * provider error stops the run with its reason recorded; other errors retry the step.
 */
export function createKnowledgeEmbedFunction(client: Inngest.Any, options: KnowledgeEmbedOptions = {}) {
  const batchSize = options.batchSize ?? EMBED_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? 50;
  return client.createFunction(
    {
      id: "knowledge-embed",
      name: "Embed knowledge chunks",
      retries: 4,
      concurrency: [{ key: "event.data.orgId", limit: 1 }],
      triggers: [knowledgeEmbeddingsRequested],
      onFailure: async ({ event, error, step }) => {
        const { orgId } = event.data.event.data;
        await step.run("record-failure", async () => {
          const model = await resolveEmbeddingModel(orgId).catch(() => null);
          if (model) await recordEmbeddingFailure(orgId, model.id, error.message);
        });
      },
    },
    async ({ event, step }) => {
      const { orgId } = event.data;
      let embedded = 0;
      let last: EmbedBatchResult = { status: "no-model" };
      for (let i = 0; i < maxBatches; i++) {
        last = await step.run(`batch-${i}`, () => embedChunkBatch(orgId, { batchSize }));
        if (last.status !== "embedded") return { ...last, embedded };
        embedded += last.embedded;
        if (last.remaining === 0) return { ...last, embedded };
      }
      await step.sendEvent(
        "continue",
        knowledgeEmbeddingsRequested.create({ orgId, reason: "more chunks than one run embeds" }),
      );
      return { ...last, embedded };
    },
  );
}

/**
 * Every five minutes: asks for embeddings for each organization with chunks still missing them
 * (a request lost in a crash, chunks written by a path that sent none, a retry after an outage).
 */
export function createKnowledgeEmbedSweepFunction(client: Inngest.Any) {
  return client.createFunction(
    {
      id: "knowledge-embed-sweep",
      name: "Find knowledge chunks missing embeddings",
      retries: 2,
      triggers: [cron("*/5 * * * *")],
    },
    async ({ step }) => {
      const orgIds = await step.run("find-orgs", () => orgsNeedingEmbeddings());
      if (orgIds.length === 0) return { requested: 0 };
      await step.sendEvent(
        "request",
        orgIds.map((orgId) => knowledgeEmbeddingsRequested.create({ orgId, reason: "sweep" })),
      );
      return { requested: orgIds.length };
    },
  );
}

export const knowledgeEmbed = createKnowledgeEmbedFunction(inngest);
export const knowledgeEmbedSweep = createKnowledgeEmbedSweepFunction(inngest);

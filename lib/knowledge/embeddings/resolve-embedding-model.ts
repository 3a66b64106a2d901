import "server-only";
import type { Tx } from "@/db";
import { orgModelFetch } from "@/lib/ai/model-fetch";
import { effectiveConfig } from "@/lib/ai/org-settings";
import { embeddingModelFor, type ResolvedEmbeddingModel } from "./embedding-model-for";

/**
 * The organization's embedding model: from its own provider (every request through the guarded
 * fetch, so an admin-supplied base URL cannot reach internal addresses), else the instance's, else
 * none (the demo model, Anthropic, an OpenAI-compatible server with no embedding model named).
 * Pass `tx` when called inside the organization's transaction.
 */
export async function resolveEmbeddingModel(orgId: string, tx?: Tx): Promise<ResolvedEmbeddingModel | null> {
  const { config, own } = await effectiveConfig(orgId, tx);
  return embeddingModelFor(config, own ? orgModelFetch : undefined);
}

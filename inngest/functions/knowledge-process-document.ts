import { type Inngest, NonRetriableError } from "inngest";
import { failStuckDocument, processDocument } from "@/lib/knowledge/process-document";
import { inngest } from "../client";
import { knowledgeDocumentUploaded, knowledgeEmbeddingsRequested } from "../events";

/**
 * Extracts, chunks and indexes an uploaded document version, then asks for its embeddings. A file
 * the extractor refuses fails the document with the reason and is not retried; any other failure
 * is retried, and after the last attempt `onFailure` fails the document, so none stays processing.
 */
export function createKnowledgeProcessDocumentFunction(
  client: Inngest.Any,
  process: typeof processDocument = processDocument,
) {
  return client.createFunction(
    {
      id: "knowledge-process-document",
      name: "Process a knowledge document",
      retries: 3,
      concurrency: [{ key: "event.data.documentId", limit: 1 }],
      triggers: [knowledgeDocumentUploaded],
      onFailure: async ({ event, step }) => {
        const { orgId, documentId, version } = event.data.event.data;
        await step.run("fail-document", () =>
          failStuckDocument(
            // This run's version only: a newer upload being processed is not this run's to fail.
            { orgId, documentId, version },
            "Processing stopped after an internal error: upload the file again.",
          ),
        );
      },
    },
    async ({ event, step }) => {
      const { orgId, documentId, version } = event.data;
      const result = await step.run("extract-and-index", () => process({ orgId, documentId, version }));
      if (result.outcome === "failed") throw new NonRetriableError(result.reason);
      if (result.outcome === "ready") {
        await step.sendEvent(
          "request-embeddings",
          knowledgeEmbeddingsRequested.create({ orgId, reason: `document ${documentId} v${version}` }),
        );
      }
      return result;
    },
  );
}

export const knowledgeProcessDocument = createKnowledgeProcessDocumentFunction(inngest);

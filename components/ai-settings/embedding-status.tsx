import { Alert, AlertDescription } from "@/components/ui/alert";
import type { EmbeddingStatus } from "@/lib/knowledge/embeddings/embedding-status";

const count = (n: number) => n.toLocaleString("en-US");

/** How far the organization's knowledge is embedded, and why it stopped if it did. */
export function EmbeddingStatusView({ status }: { status: EmbeddingStatus }) {
  if (!status.modelId) {
    return (
      <p className="text-muted-foreground text-sm">
        No embedding model: knowledge search uses full text and trigram similarity only. Choose OpenAI or
        Google, or name an embedding model for an OpenAI-compatible server, to search by meaning too.
      </p>
    );
  }
  return (
    <div className="grid gap-3">
      <p className="text-sm">
        Embeddings: {count(status.embedded)} of {count(status.total)} passages embedded with{" "}
        <code className="font-mono">{status.modelId}</code>
        {status.embedded < status.total && !status.lastError ? " (the rest are on their way)." : "."}
      </p>
      {status.lastError && (
        <Alert variant="destructive">
          <AlertDescription>
            Embedding stopped: {status.lastError.reason} ({new Date(status.lastError.at).toUTCString()}).
            Search meanwhile ranks without vectors for the passages not embedded.
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}

import { AlertCircleIcon, CheckCircle2Icon, LoaderCircleIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { KnowledgeDocumentView } from "@/lib/knowledge/types";

/** Processing (spinning), ready with its chunk count, or failed with the reason under it. */
export function DocumentStatus({ document: d }: { document: KnowledgeDocumentView }) {
  if (d.status === "processing") {
    return (
      <Badge variant="secondary" data-status="processing">
        <LoaderCircleIcon className="animate-spin" aria-hidden="true" />
        Processing
      </Badge>
    );
  }
  if (d.status === "ready") {
    return (
      <Badge variant="success" data-status="ready">
        <CheckCircle2Icon aria-hidden="true" />
        Ready · {d.chunkCount} {d.chunkCount === 1 ? "chunk" : "chunks"}
      </Badge>
    );
  }
  return (
    <div className="grid max-w-64 gap-1" data-status="failed">
      <Badge variant="destructive">
        <AlertCircleIcon aria-hidden="true" />
        Failed
      </Badge>
      <p className="whitespace-normal text-destructive text-xs">{d.error ?? "The file could not be read."}</p>
    </div>
  );
}

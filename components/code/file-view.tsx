import "server-only";
import "@/components/runs/markdown.css";
import { toJsxRuntime } from "hast-util-to-jsx-runtime";
import { DownloadIcon, FileWarningIcon } from "lucide-react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { BlobView } from "@/lib/repos/read/read-blob";
import { formatBytes } from "./format";
import { highlight } from "./highlight";

/** Files above this many lines are shown without highlighting (it would cost more than it helps). */
const MAX_HIGHLIGHT_LINES = 20_000;

/** A file at a commit: highlighted on the server, with line numbers and a raw download. */
export function FileView({ blob, rawUrl }: { blob: BlobView; rawUrl: string }) {
  const header = (
    <div className="flex items-center justify-between gap-2 border-b bg-muted/40 px-3 py-2 text-sm">
      <span className="text-muted-foreground">
        {formatBytes(blob.size)}
        {blob.content !== null && ` · ${lineCount(blob.content)} lines`}
        {blob.language && ` · ${blob.language}`}
      </span>
      <Button asChild variant="ghost" size="sm">
        <a href={rawUrl} download>
          <DownloadIcon />
          Raw
        </a>
      </Button>
    </div>
  );
  if (blob.content === null) {
    return (
      <div className="overflow-hidden rounded-lg border">
        {header}
        <EmptyState
          className="m-4"
          icon={<FileWarningIcon />}
          title={blob.binary ? "Binary file" : "File too large to show"}
          description={
            blob.binary
              ? "This file is not text. Download it to open it."
              : `Files over 1 MB are not shown here. Download it to read it (${formatBytes(blob.size)}).`
          }
        />
      </div>
    );
  }
  const lines = lineCount(blob.content);
  const tree = lines <= MAX_HIGHLIGHT_LINES ? highlight(blob.content, blob.language) : null;
  const body = tree ? toJsxRuntime(tree, { Fragment, jsx, jsxs }) : blob.content;
  return (
    <div className="overflow-hidden rounded-lg border">
      {header}
      <div className="flex overflow-x-auto font-mono text-[13px] leading-5">
        <pre
          aria-hidden="true"
          className="select-none border-r bg-muted/30 px-3 py-3 text-right text-muted-foreground tabular-nums"
        >
          {Array.from({ length: lines }, (_, i) => i + 1).join("\n")}
        </pre>
        <pre className="hljs min-w-0 flex-1 px-4 py-3">
          <code>{body}</code>
        </pre>
      </div>
    </div>
  );
}

function lineCount(text: string): number {
  if (text === "") return 1;
  const n = text.split("\n").length;
  return text.endsWith("\n") ? n - 1 : n;
}

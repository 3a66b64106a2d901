"use client";

import "react-diff-view/style/index.css";
import "./diff.css";
import { ColumnsIcon, FileDiffIcon, RowsIcon } from "lucide-react";
import { useMemo, useState } from "react";
import { Diff, Hunk } from "react-diff-view";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { ChangedFile, FileStatus } from "@/lib/repos/read/diff-parse";
import { buildDiffEntries } from "./diff-model";

const STATUS_LABEL: Record<FileStatus, string> = {
  added: "Added",
  deleted: "Deleted",
  modified: "Modified",
  renamed: "Renamed",
  copied: "Copied",
  type_changed: "Type changed",
};

export type DiffViewerProps = {
  files: ChangedFile[];
  patch: string;
  truncated?: boolean;
};

/** `+3 −1` for a file or a total; binary files show as such. */
export function LineCounts({ additions, deletions }: { additions: number | null; deletions: number | null }) {
  if (additions === null && deletions === null)
    return <span className="text-muted-foreground text-xs">binary</span>;
  return (
    <span className="font-mono text-xs tabular-nums">
      <span className="text-green-700 dark:text-green-400">+{additions ?? 0}</span>{" "}
      <span className="text-red-700 dark:text-red-400">−{deletions ?? 0}</span>
    </span>
  );
}

/** Changed files with their line counts, then each file's diff, unified or side by side. */
export function DiffViewer({ files, patch, truncated }: DiffViewerProps) {
  const [view, setView] = useState<"unified" | "split">("unified");
  const entries = useMemo(() => buildDiffEntries(files, patch), [files, patch]);
  if (files.length === 0) return <EmptyState icon={<FileDiffIcon />} title="No file changes" />;
  return (
    <div className="grid min-w-0 gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold text-sm">
          {files.length} {files.length === 1 ? "file" : "files"} changed
        </h3>
        <fieldset className="inline-flex gap-1" aria-label="Diff layout">
          <Button
            size="sm"
            variant={view === "unified" ? "secondary" : "ghost"}
            aria-pressed={view === "unified"}
            onClick={() => setView("unified")}
          >
            <RowsIcon />
            Unified
          </Button>
          <Button
            size="sm"
            variant={view === "split" ? "secondary" : "ghost"}
            aria-pressed={view === "split"}
            onClick={() => setView("split")}
          >
            <ColumnsIcon />
            Split
          </Button>
        </fieldset>
      </div>
      <ul className="divide-y rounded-lg border text-sm">
        {entries.map(({ file, anchor }) => (
          <li key={file.path} className="flex items-center gap-2 px-3 py-1.5">
            <Badge variant="outline" className="w-24 justify-center">
              {STATUS_LABEL[file.status]}
            </Badge>
            <a href={`#${anchor}`} className="min-w-0 flex-1 truncate font-mono hover:underline">
              {file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}
            </a>
            <LineCounts additions={file.additions} deletions={file.deletions} />
          </li>
        ))}
      </ul>
      {truncated && (
        <p className="text-muted-foreground text-sm" role="status">
          This diff is large: some files are listed without their lines. Download the archive or read the
          files in Code.
        </p>
      )}
      {entries.map(({ file, hunks, diffType, anchor }) => (
        <section key={file.path} id={anchor} className="scroll-mt-20 overflow-hidden rounded-lg border">
          <header className="flex items-center gap-2 border-b bg-muted/40 px-3 py-2 text-sm">
            <span className="min-w-0 flex-1 truncate font-mono">
              {file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}
            </span>
            <LineCounts additions={file.additions} deletions={file.deletions} />
          </header>
          {hunks.length > 0 ? (
            <div className="code-diff overflow-x-auto">
              <Diff viewType={view} diffType={diffType} hunks={hunks}>
                {(list) => list.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
              </Diff>
            </div>
          ) : (
            <p className="px-3 py-3 text-muted-foreground text-sm">
              {file.binary
                ? "Binary file: no lines to show."
                : file.status === "renamed" || file.status === "copied"
                  ? "Moved without changes."
                  : truncated
                    ? "Not shown: the diff was cut off."
                    : "No line changes."}
            </p>
          )}
        </section>
      ))}
    </div>
  );
}

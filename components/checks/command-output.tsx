"use client";

import { GlobeIcon, TerminalIcon } from "lucide-react";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { RunCommand } from "@/lib/runs/view-state";
import { cn } from "@/lib/utils";
import { UnsandboxedLabel } from "./check-badge";
import { CHECK_KIND_LABEL, formatCheckDuration, formatOutcome, tailLines } from "./format";

/** Lines shown of a command's output until the reader asks for all of it. */
export const FOLDED_LINES = 12;

/**
 * A command running in the sandbox, as its output arrives: the last lines while it is long, with
 * "Show all"; then how it ended (exit code or the limit that stopped it, and how long it took).
 */
export function CommandOutput({ command, className }: { command: RunCommand; className?: string }) {
  const [expanded, setExpanded] = useState(false);
  const { hidden, lines } = tailLines(command.output, expanded ? Number.POSITIVE_INFINITY : FOLDED_LINES);
  const failed = !command.running && (command.exitCode !== 0 || (command.outcome ?? "exited") !== "exited");
  return (
    <figure
      data-slot="command-output"
      data-state={command.running ? "running" : failed ? "failed" : "passed"}
      className={cn(
        "overflow-hidden rounded-md border text-sm",
        command.running ? "border-primary/30" : failed ? "border-destructive/30" : "border-success/30",
        className,
      )}
    >
      <figcaption className="flex flex-wrap items-center gap-2 border-b bg-muted/40 px-2.5 py-1.5">
        <TerminalIcon aria-hidden="true" className="size-3.5 shrink-0 text-muted-foreground" />
        <code className="min-w-0 flex-1 truncate font-mono text-xs" title={command.command}>
          {command.command}
        </code>
        {command.kind && command.purpose === "check" && (
          <Badge variant="outline">{CHECK_KIND_LABEL[command.kind]}</Badge>
        )}
        {command.driver === "host" && <UnsandboxedLabel />}
        {command.network && (
          <Badge
            variant="warning"
            title="This step ran with network access (the organization's install setting)"
          >
            <GlobeIcon aria-hidden="true" />
            network
          </Badge>
        )}
        {command.running ? (
          <span className="inline-flex items-center gap-1 text-muted-foreground text-xs">
            <Spinner aria-hidden="true" className="size-3.5" />
            Running…
          </span>
        ) : (
          <span className={cn("text-xs tabular-nums", failed ? "text-destructive" : "text-success")}>
            {formatOutcome(command.outcome, command.exitCode)}
            {command.durationMs !== null && (
              <span className="text-muted-foreground"> · {formatCheckDuration(command.durationMs)}</span>
            )}
          </span>
        )}
      </figcaption>
      {lines.length > 0 ? (
        <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-words bg-muted/20 px-2.5 py-2 font-mono text-xs leading-5">
          {lines.join("\n")}
        </pre>
      ) : (
        <p className="px-2.5 py-2 text-muted-foreground text-xs">
          {command.running ? "Waiting for output…" : "No output."}
        </p>
      )}
      {(hidden > 0 || expanded || command.droppedChars > 0 || command.truncated) && (
        <div className="flex flex-wrap items-center gap-2 border-t px-2.5 py-1 text-muted-foreground text-xs">
          {(hidden > 0 || expanded) && (
            <Button
              size="sm"
              variant="link"
              className="h-auto p-0 text-xs"
              aria-expanded={expanded}
              onClick={() => setExpanded((e) => !e)}
            >
              {expanded
                ? "Show the last lines"
                : `Show all (${hidden} more ${hidden === 1 ? "line" : "lines"})`}
            </Button>
          )}
          {(command.droppedChars > 0 || command.truncated) && (
            <span>The full output is in the check's log (head and tail kept past the limit).</span>
          )}
        </div>
      )}
    </figure>
  );
}

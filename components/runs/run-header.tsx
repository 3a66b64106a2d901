"use client";

import { CircleStopIcon, RefreshCwIcon } from "lucide-react";
import type * as React from "react";
import { useEffect, useId, useState } from "react";
import { BranchCheckBadge, type BranchChecksSummaryLike } from "@/components/checks/branch-checks";
import { DemoModelBadge } from "@/components/runs/demo-model-badge";
import { formatCost, formatDuration, formatNumber, formatTokens } from "@/components/runs/format";
import { RUN_STATUS_META, RunStatusBadge } from "@/components/runs/status";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { RunStatus } from "@/lib/runs/events";
import type { RunStreamConnection } from "@/lib/runs/stream-client";
import { isFinalRunStatus, type RunProgress, type UsageTotals } from "@/lib/runs/view-state";
import { cn } from "@/lib/utils";

export type RunHeaderProps = {
  /** The goal: its first line is the title, the rest is shown below it. */
  goal: string;
  status: RunStatus;
  statusReason?: string | null;
  templateName?: string | null;
  progress: RunProgress;
  startedAt: string | null;
  finishedAt: string | null;
  totals: Pick<UsageTotals, "inputTokens" | "outputTokens" | "costUsd">;
  tokenBudget?: number | null;
  usesDemoModel?: boolean;
  /** The run branch's checks on the merged result, once they ran. */
  branchChecks?: BranchChecksSummaryLike | null;
  connection?: RunStreamConnection;
  onReconnect?: () => void;
  /** Shown while the run is not finished; resolves when the cancel request is done. */
  onCancel?: () => Promise<unknown>;
  /** Extra actions next to Cancel, e.g. a "Resume with larger budget" dialog. */
  actions?: React.ReactNode;
  className?: string;
};

/** Green only for a run that completed: a cancelled run is grey, whatever it had done. */
const PROGRESS_FILL: Record<RunProgress["state"], string> = {
  active: "bg-primary",
  completed: "bg-success",
  failed: "bg-destructive",
  cancelled: "bg-muted-foreground/40",
};

function useNow(active: boolean): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Ticks every second while the run is active; the server renders it only for finished runs. */
function Elapsed({ startedAt, finishedAt }: { startedAt: string | null; finishedAt: string | null }) {
  const now = useNow(finishedAt === null && startedAt !== null);
  if (!startedAt) return <span className="text-muted-foreground">Not started</span>;
  const end = finishedAt ? Date.parse(finishedAt) : now;
  if (end === null) return <span className="text-muted-foreground">…</span>;
  return <time dateTime={startedAt}>{formatDuration(end - Date.parse(startedAt))}</time>;
}

const CONNECTION_META: Record<RunStreamConnection, { label: string; dot: string }> = {
  connecting: { label: "Connecting…", dot: "bg-muted-foreground animate-pulse" },
  live: { label: "Live", dot: "bg-success" },
  reconnecting: { label: "Reconnecting…", dot: "bg-warning animate-pulse" },
  closed: { label: "Disconnected", dot: "bg-muted-foreground" },
};

function ConnectionIndicator({
  connection,
  final,
  onReconnect,
}: {
  connection: RunStreamConnection;
  final: boolean;
  onReconnect?: () => void;
}) {
  // A finished run needs no connection: say nothing rather than "Disconnected".
  if (final && connection === "closed") return null;
  const meta = CONNECTION_META[connection];
  return (
    <span className="inline-flex items-center gap-1.5 text-muted-foreground text-xs">
      <span aria-hidden="true" className={cn("size-2 rounded-full motion-reduce:animate-none", meta.dot)} />
      {meta.label}
      {connection === "closed" && onReconnect && (
        <Button variant="link" size="sm" className="h-auto px-1 py-0 text-xs" onClick={onReconnect}>
          <RefreshCwIcon aria-hidden="true" className="size-3" />
          Reconnect
        </Button>
      )}
    </span>
  );
}

function CancelRunButton({ onCancel }: { onCancel: () => Promise<unknown> }) {
  const [pending, setPending] = useState(false);
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm" disabled={pending}>
          {pending ? <Spinner aria-hidden="true" /> : <CircleStopIcon aria-hidden="true" />}
          {pending ? "Cancelling…" : "Cancel run"}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Cancel this run?</AlertDialogTitle>
          <AlertDialogDescription>
            Agents stop after their current step and unfinished tasks are cancelled. Artifacts written so far
            are kept.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep running</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            onClick={async () => {
              setPending(true);
              try {
                await onCancel();
              } finally {
                setPending(false);
              }
            }}
          >
            Cancel run
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function Stat({ label, children, title }: { label: string; children: React.ReactNode; title?: string }) {
  return (
    <div className="min-w-0" title={title}>
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd className="mt-0.5 truncate font-medium text-sm tabular-nums">{children}</dd>
    </div>
  );
}

export function RunHeader({
  goal,
  status,
  statusReason,
  templateName,
  progress,
  startedAt,
  finishedAt,
  totals,
  tokenBudget,
  usesDemoModel = false,
  branchChecks,
  connection,
  onReconnect,
  onCancel,
  actions,
  className,
}: RunHeaderProps) {
  const progressLabelId = useId();
  const final = isFinalRunStatus(status);
  const [title = goal, ...rest] = goal.trim().split("\n");
  const details = rest.join("\n").trim();
  const usedTokens = totals.inputTokens + totals.outputTokens;
  const extras = [
    progress.active > 0 && `${progress.active} active`,
    progress.failed > 0 && `${progress.failed} failed`,
    progress.cancelled > 0 && progress.state !== "cancelled" && `${progress.cancelled} cancelled`,
  ].filter(Boolean);

  return (
    <header data-slot="run-header" className={cn("space-y-4", className)}>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-2">
          <div className="flex flex-wrap items-center gap-2" aria-live="polite">
            <RunStatusBadge status={status} />
            {templateName && <Badge variant="outline">{templateName}</Badge>}
            {usesDemoModel && <DemoModelBadge />}
            {branchChecks && <BranchCheckBadge summary={branchChecks} />}
            {connection && (
              <ConnectionIndicator connection={connection} final={final} onReconnect={onReconnect} />
            )}
          </div>
          <h1 className="text-balance font-semibold text-2xl leading-tight tracking-tight">{title}</h1>
          {details && (
            <p className="line-clamp-3 max-w-3xl whitespace-pre-line text-muted-foreground text-sm">
              {details}
            </p>
          )}
          {statusReason && (
            <p className="text-sm">
              <span className="sr-only">{RUN_STATUS_META[status].label}: </span>
              {statusReason}
            </p>
          )}
        </div>
        {(actions || (onCancel && !final)) && (
          <div className="flex shrink-0 flex-wrap items-center gap-2">
            {actions}
            {onCancel && !final && <CancelRunButton onCancel={onCancel} />}
          </div>
        )}
      </div>

      <div className="space-y-1.5">
        <div className="flex items-baseline justify-between gap-3 text-sm">
          <span id={progressLabelId}>
            {progress.state === "cancelled" ? (
              <>
                <span className="font-medium">Cancelled</span> after{" "}
                <span className="tabular-nums">
                  {progress.done} of {progress.total}
                </span>{" "}
                {progress.total === 1 ? "task" : "tasks"}
              </>
            ) : (
              <>
                <span className="font-medium tabular-nums">
                  {progress.done} of {progress.total}
                </span>{" "}
                tasks done
              </>
            )}
            {extras.length > 0 && <span className="text-muted-foreground"> · {extras.join(" · ")}</span>}
          </span>
          <span className="text-muted-foreground text-xs tabular-nums">{progress.percent}%</span>
        </div>
        <div
          role="progressbar"
          aria-labelledby={progressLabelId}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress.percent}
          data-state={progress.state}
          className="h-2 overflow-hidden rounded-full bg-muted"
        >
          <div
            className={cn(
              "h-full rounded-full transition-[width] duration-500 motion-reduce:transition-none",
              PROGRESS_FILL[progress.state],
            )}
            style={{ width: `${progress.percent}%` }}
          />
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border bg-card px-4 py-3 sm:grid-cols-4">
        <Stat label="Elapsed">
          <Elapsed startedAt={startedAt} finishedAt={finishedAt} />
        </Stat>
        <Stat
          label="Tokens"
          title={`${formatNumber(totals.inputTokens)} in · ${formatNumber(totals.outputTokens)} out`}
        >
          {formatTokens(usedTokens)}
          {tokenBudget ? <span className="text-muted-foreground"> / {formatTokens(tokenBudget)}</span> : null}
        </Stat>
        <Stat label="In / out">
          {formatTokens(totals.inputTokens)} <span className="text-muted-foreground">/</span>{" "}
          {formatTokens(totals.outputTokens)}
        </Stat>
        <Stat label="Cost">{formatCost(totals.costUsd)}</Stat>
      </dl>
    </header>
  );
}

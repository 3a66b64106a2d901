import { PlayIcon } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { formatCost, formatNumber, formatTokens } from "@/components/runs/format";
import { RunStatusBadge } from "@/components/runs/status";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RunStatus } from "@/lib/runs/events";
import { getRunTemplate } from "@/lib/runs/templates";
import { cn, formatDateTime } from "@/lib/utils";

export type RunSummary = {
  id: string;
  goal: string;
  templateSlug: string;
  status: RunStatus;
  tasksDone: number;
  tasksTotal: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** The display name (or email) of the member who started it; null if they left. */
  startedBy: string | null;
  startedAt: string | Date;
  projectSlug: string;
  projectName?: string;
};

export type RunsTableProps = {
  orgSlug: string;
  runs: RunSummary[];
  /** Adds a project column (the organization dashboard lists runs of every project). */
  showProject?: boolean;
  /** Shown in the empty state, e.g. a "Start a run" button for members who may. */
  emptyAction?: React.ReactNode;
  className?: string;
};

const runHref = (orgSlug: string, run: RunSummary) =>
  `/${orgSlug}/projects/${run.projectSlug}/runs/${run.id}`;

/** A list of runs, newest first as given; each goal links to its run page. */
export function RunsTable({ orgSlug, runs, showProject = false, emptyAction, className }: RunsTableProps) {
  if (runs.length === 0) {
    return (
      <EmptyState
        className={className}
        icon={<PlayIcon />}
        title="No runs yet"
        description="Start a run to have the agent swarm plan and deliver a goal for this project."
        action={emptyAction}
      />
    );
  }

  return (
    <div className={cn("rounded-lg border", className)}>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Goal</TableHead>
            {showProject && <TableHead>Project</TableHead>}
            <TableHead>Template</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Tasks</TableHead>
            <TableHead className="text-right">Tokens</TableHead>
            <TableHead className="text-right">Cost</TableHead>
            <TableHead>Started by</TableHead>
            <TableHead>Started</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {runs.map((run) => {
            const title = run.goal.trim().split("\n")[0] ?? run.goal;
            const tokens = run.inputTokens + run.outputTokens;
            return (
              <TableRow key={run.id}>
                <TableCell className="max-w-[22rem]">
                  <Link
                    href={runHref(orgSlug, run)}
                    title={run.goal}
                    className="block truncate font-medium underline-offset-4 hover:underline"
                  >
                    {title}
                  </Link>
                </TableCell>
                {showProject && (
                  <TableCell>
                    <Link
                      href={`/${orgSlug}/projects/${run.projectSlug}`}
                      className="text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
                    >
                      {run.projectName ?? run.projectSlug}
                    </Link>
                  </TableCell>
                )}
                <TableCell className="text-muted-foreground">
                  {getRunTemplate(run.templateSlug)?.name ?? run.templateSlug}
                </TableCell>
                <TableCell>
                  <RunStatusBadge status={run.status} />
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {run.tasksDone}
                  <span className="text-muted-foreground"> / {run.tasksTotal}</span>
                </TableCell>
                <TableCell
                  className="text-right tabular-nums"
                  title={`${formatNumber(run.inputTokens)} in · ${formatNumber(run.outputTokens)} out`}
                >
                  {formatTokens(tokens)}
                </TableCell>
                <TableCell className="text-right tabular-nums">{formatCost(run.costUsd)}</TableCell>
                <TableCell className="text-muted-foreground">{run.startedBy ?? "Former member"}</TableCell>
                <TableCell className="text-muted-foreground">
                  <time dateTime={new Date(run.startedAt).toISOString()}>
                    {formatDateTime(run.startedAt)}
                  </time>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

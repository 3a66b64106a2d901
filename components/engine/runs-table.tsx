import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RunSummary } from "@/lib/engine/queries";
import { formatDateTime } from "@/lib/utils";
import { formatDuration } from "./format";
import { RunStatusBadge } from "./run-status-badge";

/** The operator's list of runs: newest first, one link per run. */
export function RunsTable({ runs }: { runs: RunSummary[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Run</TableHead>
          <TableHead>Function</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Started</TableHead>
          <TableHead className="text-right">Duration</TableHead>
          <TableHead className="text-right">Attempts</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.map((run) => (
          <TableRow key={run.id}>
            <TableCell className="font-mono text-xs">
              <Link href={`/admin/engine/runs/${run.id}`} className="underline-offset-4 hover:underline">
                {run.id}
              </Link>
              {run.replayOf && <span className="ml-2 text-muted-foreground">(replay)</span>}
            </TableCell>
            <TableCell className="font-mono text-xs">{run.functionId}</TableCell>
            <TableCell>
              <RunStatusBadge status={run.status} />
            </TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(run.createdAt)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatDuration(run.durationMs)}</TableCell>
            <TableCell className="text-right tabular-nums">{run.attempts + 1}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

import Link from "next/link";
import { formatCost, formatTokens } from "@/components/runs/format";
import { RunStatusBadge, TaskStatusLabel } from "@/components/runs/status";
import {
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { ComparedTask, RunComparison } from "@/lib/runs/compare-runs";

type Props = { comparison: RunComparison; org: string; project: string };

function TaskCell({ task, codeHref }: { task: ComparedTask | null; codeHref: string }) {
  if (!task) return <TableCell className="text-muted-foreground text-xs">Not in this plan</TableCell>;
  return (
    <TableCell className="align-top">
      <div className="flex flex-wrap items-center gap-2">
        <TaskStatusLabel status={task.status} />
        <span className="text-muted-foreground text-xs">{task.agentSlug}</span>
        {task.attempts > 1 && <span className="text-muted-foreground text-xs">{task.attempts} attempts</span>}
      </div>
      <div className="mt-1 flex flex-wrap gap-3 font-mono text-xs">
        <span>{formatTokens(task.inputTokens + task.outputTokens)} tokens</span>
        <span>{formatCost(task.costUsd)}</span>
        {task.commitSha && (
          <Link className="hover:underline" href={`${codeHref}/commits/${task.commitSha}`}>
            {task.commitSha.slice(0, 7)}
          </Link>
        )}
      </div>
    </TableCell>
  );
}

/** Two runs side by side: each task's outcome, agent, commit, tokens and cost, and the totals. */
export function RunComparisonTable({ comparison, org, project }: Props) {
  const [a, b] = comparison.runs;
  const runHref = (id: string) => `/${org}/projects/${project}/runs/${id}`;
  const codeHref = `/${org}/projects/${project}/code`;
  const header = (run: typeof a) => (
    <TableHead>
      <Link href={runHref(run.id)} className="font-medium hover:underline">
        Run #{run.number ?? "?"}
      </Link>{" "}
      <RunStatusBadge status={run.status} />
      <div className="font-mono font-normal text-muted-foreground text-xs">{run.branch}</div>
    </TableHead>
  );
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Task</TableHead>
          {header(a)}
          {header(b)}
        </TableRow>
      </TableHeader>
      <TableBody>
        {comparison.tasks.map((row) => (
          <TableRow key={row.key}>
            <TableCell className="align-top">
              <div className="font-mono text-xs">{row.key}</div>
              <div className="text-sm">{row.a?.title ?? row.b?.title}</div>
            </TableCell>
            <TaskCell task={row.a} codeHref={codeHref} />
            <TaskCell task={row.b} codeHref={codeHref} />
          </TableRow>
        ))}
      </TableBody>
      <TableFooter>
        <TableRow>
          <TableCell>Total</TableCell>
          {[a, b].map((run) => (
            <TableCell key={run.id} className="font-mono text-xs">
              {formatTokens(run.inputTokens + run.outputTokens)} tokens · {formatCost(run.costUsd)}
            </TableCell>
          ))}
        </TableRow>
      </TableFooter>
    </Table>
  );
}

import Link from "next/link";
import type { ProjectCheckStatus } from "@/lib/checks/read/project-check-status";
import { cn } from "@/lib/utils";
import { BranchCheckBadge } from "./branch-checks";

/**
 * The project's branches and their latest checks: the default branch, then each run branch checked
 * on its merged result (most recent first), each linking to its run.
 */
export function ProjectChecks({
  org,
  project,
  status,
  className,
}: {
  org: string;
  project: string;
  status: ProjectCheckStatus;
  className?: string;
}) {
  const { defaultBranch, runBranches } = status;
  return (
    <ul className={cn("grid gap-2 text-sm", className)} aria-label="Branch checks" data-slot="project-checks">
      {defaultBranch && (
        <li className="grid gap-1">
          <span className="truncate font-mono text-xs" title={defaultBranch.branch}>
            {defaultBranch.branch}
            <span className="font-sans text-muted-foreground"> (default)</span>
          </span>
          {defaultBranch.checks ? (
            <BranchCheckBadge summary={defaultBranch.checks} label="" />
          ) : (
            <span className="text-muted-foreground text-xs">Not checked yet</span>
          )}
        </li>
      )}
      {runBranches.map((run) => (
        <li key={run.runId} className="grid gap-1">
          <Link
            href={`/${org}/projects/${project}/runs/${run.runId}`}
            className="truncate font-mono text-xs underline-offset-4 hover:underline"
            title={run.goal}
          >
            {run.branch || (run.runNumber ? `Run #${run.runNumber}` : "Run")}
          </Link>
          <BranchCheckBadge summary={run.checks} label="" />
        </li>
      ))}
      {!defaultBranch && runBranches.length === 0 && (
        <li className="text-muted-foreground text-xs">No branch has been checked yet.</li>
      )}
    </ul>
  );
}

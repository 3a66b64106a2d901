import { GitBranchIcon, GitForkIcon } from "lucide-react";
import Link from "next/link";
import { PushRunButton } from "@/components/repos/push-run-button";
import { Badge } from "@/components/ui/badge";

type Props = {
  org: string;
  project: string;
  run: {
    id: string;
    branch: string | null;
    baseCommit: string | null;
    headCommit: string | null;
    pullRequestUrl: string | null;
    pushedAt: string | null;
    forkedFromRunId: string | null;
  };
  /** The project's connected remote (credential-free URL), if any. */
  remote: string | null;
  canPush: boolean;
};

const short = (sha: string) => sha.slice(0, 7);

/** Where the run's work lives in git: its branch, what it started from, and where it was pushed. */
export function RunBranchBar({ org, project, run, remote, canPush }: Props) {
  if (!run.branch) return null;
  const code = `/${org}/projects/${project}/code`;
  return (
    <section
      aria-label="Run branch"
      className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border bg-card px-3 py-2 text-sm"
    >
      <GitBranchIcon className="size-4 text-muted-foreground" aria-hidden />
      <Link
        href={`${code}?ref=${encodeURIComponent(run.branch)}`}
        className="font-mono font-medium hover:underline"
      >
        {run.branch}
      </Link>
      {run.baseCommit && (
        <span className="text-muted-foreground">
          from{" "}
          <Link href={`${code}/commits/${run.baseCommit}`} className="font-mono hover:underline">
            {short(run.baseCommit)}
          </Link>
        </span>
      )}
      {run.headCommit && run.headCommit !== run.baseCommit && (
        <span className="text-muted-foreground">
          head{" "}
          <Link href={`${code}/commits/${run.headCommit}`} className="font-mono hover:underline">
            {short(run.headCommit)}
          </Link>
        </span>
      )}
      {run.forkedFromRunId && (
        <Link
          href={`/${org}/projects/${project}/runs/${run.forkedFromRunId}`}
          className="inline-flex items-center gap-1 text-muted-foreground hover:underline"
        >
          <GitForkIcon className="size-3.5" aria-hidden />
          forked run
        </Link>
      )}
      {run.forkedFromRunId && (
        <Link
          href={`/${org}/projects/${project}/runs/compare?a=${run.forkedFromRunId}&b=${run.id}`}
          className="text-muted-foreground hover:underline"
        >
          Compare
        </Link>
      )}
      {run.pushedAt && <Badge variant="success">Pushed</Badge>}
      <div className="ml-auto">
        {remote && canPush ? (
          <PushRunButton org={org} project={project} run={run.id} pullRequestUrl={run.pullRequestUrl} />
        ) : run.pullRequestUrl ? (
          <a href={run.pullRequestUrl} target="_blank" rel="noreferrer noopener" className="hover:underline">
            Pull request
          </a>
        ) : !remote ? (
          <span className="text-muted-foreground text-xs">
            No remote connected: the branch stays in DafnckMachine.
          </span>
        ) : null}
      </div>
    </section>
  );
}

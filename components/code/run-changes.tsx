"use client";

import { useQuery } from "@tanstack/react-query";
import { GitBranchIcon, GitCommitIcon } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { RunChanges as RunChangesData } from "@/lib/repos/read/compare-run";
import { formatDateTime } from "@/lib/utils";
import { codeUrls } from "./code-urls";
import { DiffViewer, LineCounts } from "./diff-viewer";
import { authorLabel } from "./format";

export type RunChangesProps = {
  org: string;
  runId: string;
  /** Changes when it does (e.g. the run's status and how many tasks are done): the view refetches. */
  refreshKey: string;
};

async function fetchChanges(url: string): Promise<RunChangesData> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? "Could not load the changes.");
  return body as RunChangesData;
}

/** The run's branch against its base: tasks with their commits, the commits, and the diff. */
export function RunChanges({ org, runId, refreshKey }: RunChangesProps) {
  const url = `/api/orgs/${org}/runs/${runId}/changes`;
  const query = useQuery({ queryKey: ["run-changes", url, refreshKey], queryFn: () => fetchChanges(url) });
  if (query.isPending) return <Skeleton className="h-64 w-full" />;
  if (query.isError)
    return (
      <EmptyState
        icon={<GitBranchIcon />}
        title="Could not load the changes"
        description={query.error.message}
        action={
          <Button variant="outline" size="sm" onClick={() => query.refetch()}>
            Try again
          </Button>
        }
      />
    );
  const data = query.data;
  const urls = codeUrls({ org, project: data.project.slug });
  if (data.state === "no_branch")
    return (
      <EmptyState
        icon={<GitBranchIcon />}
        title="No branch yet"
        description="The run works on its own branch once it starts; its changes show here commit by commit."
      />
    );
  if (data.state === "no_commits" || !data.diff)
    return (
      <EmptyState
        icon={<GitCommitIcon />}
        title="No commits yet"
        description={`Each accepted task is committed to ${data.branch ?? "the run branch"}; nothing has been yet.`}
      />
    );
  const diff = data.diff;
  return (
    <div className="grid min-w-0 gap-6">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <GitBranchIcon className="size-4 text-muted-foreground" aria-hidden="true" />
        <Link
          className="font-mono hover:underline"
          href={urls.tree(data.branch ?? data.headCommit ?? undefined)}
        >
          {data.branch}
        </Link>
        <span className="text-muted-foreground">
          from{" "}
          <Link className="font-mono hover:underline" href={urls.commit(data.baseCommit ?? "")}>
            {data.baseCommit?.slice(0, 7)}
          </Link>{" "}
          · {data.commits.length} {data.commits.length === 1 ? "commit" : "commits"} · {diff.totals.files}{" "}
          {diff.totals.files === 1 ? "file" : "files"}
        </span>
        <LineCounts additions={diff.totals.additions} deletions={diff.totals.deletions} />
      </div>

      <section aria-labelledby="run-commits" className="grid gap-2">
        <h3 id="run-commits" className="font-semibold text-sm">
          Commits
        </h3>
        <ol className="divide-y rounded-lg border text-sm">
          {data.commits.map((c) => (
            <li key={c.sha} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
              {c.task && <Badge variant="outline">{c.task.key}</Badge>}
              <Link href={urls.commit(c.sha)} className="min-w-0 flex-1 truncate hover:underline">
                {c.subject}
              </Link>
              <span className="text-muted-foreground text-xs">
                {c.agent?.name ?? authorLabel(c.author.name).name} · {formatDateTime(c.authoredAt)}
              </span>
              <Link
                href={urls.commit(c.sha)}
                className="font-mono text-muted-foreground text-xs hover:underline"
              >
                {c.shortSha}
              </Link>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="run-task-commits" className="grid gap-2">
        <h3 id="run-task-commits" className="font-semibold text-sm">
          Tasks
        </h3>
        <ul className="divide-y rounded-lg border text-sm">
          {data.tasks.map((t) => (
            <li key={t.id} className="flex items-center gap-3 px-3 py-2">
              <Badge variant="outline">{t.key}</Badge>
              <span className="min-w-0 flex-1 truncate">{t.title}</span>
              {t.commitSha ? (
                <Link href={urls.commit(t.commitSha)} className="font-mono text-xs hover:underline">
                  {t.commitSha.slice(0, 7)}
                </Link>
              ) : (
                <span className="text-muted-foreground text-xs">no commit</span>
              )}
            </li>
          ))}
        </ul>
      </section>

      <DiffViewer files={diff.files} patch={diff.patch} truncated={diff.truncated} />
    </div>
  );
}

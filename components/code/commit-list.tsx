import { BotIcon, GitCommitIcon, UserIcon } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { CommitInfo } from "@/lib/repos/read/commit-log";
import { formatDateTime } from "@/lib/utils";
import { authorLabel } from "./format";

/**
 * Commits with their author (the agent, for commits runs made) and links to the run and task
 * that made them. `commitHref` opens a commit.
 */
export function CommitList({
  commits,
  commitHref,
  emptyTitle = "No commits yet",
}: {
  commits: CommitInfo[];
  commitHref: (sha: string) => string;
  emptyTitle?: string;
}) {
  if (commits.length === 0) return <EmptyState icon={<GitCommitIcon />} title={emptyTitle} />;
  return (
    <ol className="divide-y rounded-lg border">
      {commits.map((c) => (
        <li key={c.sha} className="flex flex-wrap items-start gap-x-4 gap-y-1 px-3 py-3 text-sm">
          <div className="min-w-0 flex-1 space-y-1">
            <Link href={commitHref(c.sha)} className="break-words font-medium hover:underline">
              {c.subject || "(no message)"}
            </Link>
            <CommitMeta commit={c} />
          </div>
          <Link
            href={commitHref(c.sha)}
            className="shrink-0 rounded border px-1.5 py-0.5 font-mono text-muted-foreground text-xs hover:text-foreground"
            title={c.sha}
          >
            {c.shortSha}
          </Link>
        </li>
      ))}
    </ol>
  );
}

/** Who made a commit and when, with the run and task it belongs to. */
export function CommitMeta({ commit: c }: { commit: CommitInfo }) {
  const author = authorLabel(c.author.name);
  const agentName = c.agent?.name ?? (author.isAgent ? author.name : null);
  return (
    <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-muted-foreground text-xs">
      <span className="inline-flex items-center gap-1">
        {agentName ? (
          <BotIcon className="size-3.5" aria-hidden="true" />
        ) : (
          <UserIcon className="size-3.5" aria-hidden="true" />
        )}
        <span className="text-foreground">{agentName ?? author.name}</span>
      </span>
      <time dateTime={c.authoredAt}>{formatDateTime(c.authoredAt)}</time>
      {c.run && (
        <Link href={c.run.url} className="hover:underline">
          <Badge variant="secondary">Run {c.run.number ? `#${c.run.number}` : c.run.id.slice(0, 8)}</Badge>
        </Link>
      )}
      {c.task && (
        <Link href={c.task.url} className="hover:underline" title={c.task.title}>
          <Badge variant="outline">Task {c.task.key}</Badge>
        </Link>
      )}
    </div>
  );
}

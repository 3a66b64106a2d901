import { FolderTreeIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { CodeError, CodeShell } from "@/components/code/code-shell";
import { codeUrls } from "@/components/code/code-urls";
import { CommitMeta } from "@/components/code/commit-list";
import { DiffViewer, LineCounts } from "@/components/code/diff-viewer";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { pageRead } from "@/lib/repos/read/page-read";
import { readCommit } from "@/lib/repos/read/read-commit";

export const metadata: Metadata = { title: "Commit" };

type Props = { params: Promise<{ org: string; project: string; sha: string }> };

/** One commit: message, author (the agent), run and task, and its diff. */
export default async function CommitPage({ params }: Props) {
  const { org, project: slug, sha } = await params;
  const ctx = await orgPageContext(org, "projects.read", `/${org}/projects/${slug}/code/commits/${sha}`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const project = await orNotFound(getProject(ctx, slug));
  const urls = codeUrls({ org, project: project.slug });
  const read = await pageRead(readCommit(ctx, slug, sha));
  if (!read.ok)
    return (
      <CodeShell org={org} project={project}>
        <CodeError message={read.message} backHref={urls.commits()} />
      </CodeShell>
    );
  const { commit, diff } = read.value;
  return (
    <CodeShell org={org} project={project}>
      <Card>
        <CardHeader>
          <CardTitle className="break-words">{commit.subject || "(no message)"}</CardTitle>
          <CommitMeta commit={commit} />
        </CardHeader>
        <CardContent className="grid gap-3 text-sm">
          {commit.body && <pre className="whitespace-pre-wrap break-words font-sans">{commit.body}</pre>}
          <div className="flex flex-wrap items-center gap-3 text-muted-foreground text-xs">
            <span className="font-mono" title="Commit id">
              {commit.sha}
            </span>
            {commit.parents[0] && (
              <Link className="font-mono hover:underline" href={urls.commit(commit.parents[0])}>
                parent {commit.parents[0].slice(0, 7)}
              </Link>
            )}
            <LineCounts additions={diff.totals.additions} deletions={diff.totals.deletions} />
            <Button asChild variant="outline" size="sm" className="ml-auto">
              <Link href={urls.tree(commit.sha)}>
                <FolderTreeIcon />
                Browse files
              </Link>
            </Button>
          </div>
        </CardContent>
      </Card>
      <DiffViewer files={diff.files} patch={diff.patch} truncated={diff.truncated} />
    </CodeShell>
  );
}

import { ArrowRightIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PathBreadcrumb } from "@/components/code/breadcrumb";
import { CodeError, CodeShell } from "@/components/code/code-shell";
import { CodeToolbar } from "@/components/code/code-toolbar";
import { codeUrls } from "@/components/code/code-urls";
import { CommitList } from "@/components/code/commit-list";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { listBranches } from "@/lib/repos/read/list-branches";
import { listCommits } from "@/lib/repos/read/list-commits";
import { pageRead, searchParam } from "@/lib/repos/read/page-read";

export const metadata: Metadata = { title: "History" };

type Props = {
  params: Promise<{ org: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** History of a branch or commit, optionally of one path, with the runs and tasks behind each commit. */
export default async function CommitsPage({ params, searchParams }: Props) {
  const { org, project: slug } = await params;
  const sp = await searchParams;
  const ctx = await orgPageContext(org, "projects.read", `/${org}/projects/${slug}/code/commits`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const project = await orNotFound(getProject(ctx, slug));
  const scope = { org, project: project.slug };
  const urls = codeUrls(scope);
  const read = await pageRead(
    Promise.all([
      listCommits(ctx, slug, {
        ref: searchParam(sp.ref),
        path: searchParam(sp.path),
        cursor: searchParam(sp.cursor),
        limit: 30,
      }),
      listBranches(ctx, slug),
    ]),
  );
  if (!read.ok)
    return (
      <CodeShell org={org} project={project}>
        <CodeError message={read.message} backHref={urls.commits()} />
      </CodeShell>
    );
  const [page, { branches }] = read.value;
  const refParam = page.ref.branch ?? page.ref.sha;
  return (
    <CodeShell org={org} project={project}>
      <CodeToolbar scope={scope} branches={branches} at={page.ref} path={page.path} view="history" />
      {page.path && (
        <PathBreadcrumb root={project.slug} path={page.path} hrefFor={(p) => urls.commits(refParam, p)} />
      )}
      <CommitList commits={page.commits} commitHref={urls.commit} />
      {page.nextCursor && (
        <div className="flex justify-end">
          <Button asChild variant="outline" size="sm">
            <Link href={urls.commitsPage(refParam, page.path || undefined, page.nextCursor)}>
              Older commits
              <ArrowRightIcon />
            </Link>
          </Button>
        </div>
      )}
    </CodeShell>
  );
}

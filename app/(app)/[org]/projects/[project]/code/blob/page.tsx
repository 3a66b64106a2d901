import type { Metadata } from "next";
import { PathBreadcrumb } from "@/components/code/breadcrumb";
import { CodeError, CodeShell } from "@/components/code/code-shell";
import { CodeToolbar } from "@/components/code/code-toolbar";
import { codeUrls } from "@/components/code/code-urls";
import { FileView } from "@/components/code/file-view";
import { NoAccess } from "@/components/states/no-access";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { listBranches } from "@/lib/repos/read/list-branches";
import { pageRead, searchParam } from "@/lib/repos/read/page-read";
import { readBlob } from "@/lib/repos/read/read-blob";

export const metadata: Metadata = { title: "Code" };

type Props = {
  params: Promise<{ org: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** One file at a branch or commit, highlighted (`?ref=&path=`). */
export default async function BlobPage({ params, searchParams }: Props) {
  const { org, project: slug } = await params;
  const sp = await searchParams;
  const ctx = await orgPageContext(org, "projects.read", `/${org}/projects/${slug}/code`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const project = await orNotFound(getProject(ctx, slug));
  const scope = { org, project: project.slug };
  const urls = codeUrls(scope);
  const read = await pageRead(
    Promise.all([
      readBlob(ctx, slug, { ref: searchParam(sp.ref), path: searchParam(sp.path) }),
      listBranches(ctx, slug),
    ]),
  );
  if (!read.ok)
    return (
      <CodeShell org={org} project={project}>
        <CodeError message={read.message} backHref={urls.tree()} />
      </CodeShell>
    );
  const [blob, { branches }] = read.value;
  const refParam = blob.ref.branch ?? blob.ref.sha;
  return (
    <CodeShell org={org} project={project}>
      <CodeToolbar scope={scope} branches={branches} at={blob.ref} path={blob.path} view="files" />
      <PathBreadcrumb root={project.slug} path={blob.path} hrefFor={(p) => urls.tree(refParam, p)} />
      <FileView blob={blob} rawUrl={urls.raw(blob.ref.sha, blob.path)} />
    </CodeShell>
  );
}

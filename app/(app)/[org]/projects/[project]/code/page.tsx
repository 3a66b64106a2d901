import type { Metadata } from "next";
import { PathBreadcrumb } from "@/components/code/breadcrumb";
import { CodeError, CodeShell } from "@/components/code/code-shell";
import { CodeToolbar } from "@/components/code/code-toolbar";
import { codeUrls } from "@/components/code/code-urls";
import { FileTree } from "@/components/code/file-tree";
import { Markdown } from "@/components/runs/markdown";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { listBranches } from "@/lib/repos/read/list-branches";
import { pageRead, searchParam } from "@/lib/repos/read/page-read";
import { readBlob } from "@/lib/repos/read/read-blob";
import { readTree } from "@/lib/repos/read/read-tree";

export const metadata: Metadata = { title: "Code" };

type Props = {
  params: Promise<{ org: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** The project's files at a branch or commit (`?ref=&path=`). */
export default async function CodePage({ params, searchParams }: Props) {
  const { org, project: slug } = await params;
  const sp = await searchParams;
  const ctx = await orgPageContext(org, "projects.read", `/${org}/projects/${slug}/code`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const project = await orNotFound(getProject(ctx, slug));
  const scope = { org, project: project.slug };
  const urls = codeUrls(scope);
  const read = await pageRead(
    Promise.all([
      readTree(ctx, slug, { ref: searchParam(sp.ref), path: searchParam(sp.path) }),
      listBranches(ctx, slug),
    ]),
  );
  if (!read.ok)
    return (
      <CodeShell org={org} project={project}>
        <CodeError message={read.message} backHref={urls.tree()} />
      </CodeShell>
    );
  const [tree, { branches }] = read.value;
  const refParam = tree.ref.branch ?? tree.ref.sha;
  // The folder's README, rendered below its files as code hosts do.
  const readmeEntry = tree.entries.find((e) => e.type === "blob" && /^readme\.(md|markdown)$/i.test(e.name));
  const readme = readmeEntry
    ? await readBlob(ctx, slug, { ref: tree.ref.sha, path: readmeEntry.path })
    : null;
  return (
    <CodeShell org={org} project={project}>
      <CodeToolbar scope={scope} branches={branches} at={tree.ref} path={tree.path} view="files" />
      <PathBreadcrumb root={project.slug} path={tree.path} hrefFor={(p) => urls.tree(refParam, p)} />
      <FileTree scope={scope} refParam={refParam} path={tree.path} entries={tree.entries} />
      {readme?.content && (
        <Card>
          <CardHeader>
            <CardTitle className="font-mono text-sm">{readme.path.split("/").pop()}</CardTitle>
          </CardHeader>
          <CardContent>
            <Markdown>{readme.content}</Markdown>
          </CardContent>
        </Card>
      )}
    </CodeShell>
  );
}

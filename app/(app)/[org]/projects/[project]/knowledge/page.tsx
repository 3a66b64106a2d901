import { ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { KnowledgeView } from "@/components/knowledge/knowledge-view";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { MAX_UPLOAD_BYTES } from "@/lib/knowledge/limits";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";

export const metadata: Metadata = { title: "Knowledge" };

type Props = { params: Promise<{ org: string; project: string }> };

/** A project's knowledge: its documents (uploaded and from its repository), insights and search. */
export default async function ProjectKnowledgePage({ params }: Props) {
  const { org, project: slug } = await params;
  const ctx = await orgPageContext(org, "knowledge.read", `/${org}/projects/${slug}/knowledge`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const project = await orNotFound(getProject(ctx, slug));
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/projects/${project.slug}`}>
          <ArrowLeftIcon />
          {project.name}
        </Link>
      </Button>
      <PageHeader
        title="Knowledge"
        description={`What ${project.name}'s agents know: documents, the repository's docs, insights from runs and what past runs decided.`}
      />
      <KnowledgeView
        org={ctx.org.slug}
        project={project.slug}
        canWrite={ctx.can("knowledge.write") && project.status !== "archived"}
        maxUploadBytes={MAX_UPLOAD_BYTES}
        aiSettingsHref={ctx.can("org.manage") ? `/${ctx.org.slug}/settings/ai` : null}
        projectSlugs={{ [project.id]: project.slug }}
      />
    </>
  );
}
